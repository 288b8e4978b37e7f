"""The billing terms pages: settings, aircraft terms, instructor rates, member accounts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounting.models import Account, AircraftTerms, BillingSettings, InstructorRate
from accounting.services.accounts import billing_settings_for

SETTINGS = {"currency": "EUR", "hours_step": "0.05", "money_step": "0.10", "payment_terms_days": "15",
            "invoice_prefix": "F-", "credit_note_prefix": "AV-", "credit_limit_member": "500",
            "credit_limit_student": "", "credit_limit_non_member": "0"}
TERMS = {"basis": "tach", "wet": "on", "taxi_allowance_minutes": "6", "minimum_hours": "0.5",
         "member_rate": "160", "student_rate": "140", "non_member_rate": ""}


def url(club, name, *args):
    return reverse(name, args=[club.slug, *args])


@pytest.mark.parametrize("name", ["accounting_terms", "accounting_terms_accounts"])
def test_pages_for_treasurer_and_admin_only(as_user, club, name, treasurer, admin, viewer, pilot, dispatcher, outsider):
    for who in (treasurer, admin):
        assert as_user(who).get(url(club, name)).status_code == 200
    for who in (viewer, pilot, dispatcher, outsider):
        assert as_user(who).get(url(club, name)).status_code == 404


def test_terms_page_lists_aircraft_in_service_and_instructors(as_user, club, treasurer, aircraft, aircraft2, instructor):
    from django.utils import timezone

    aircraft2.retired_at = timezone.now()
    aircraft2.save()
    text = as_user(treasurer).get(url(club, "accounting_terms")).content.decode()
    assert "F-GABC" in text and "F-GXYZ" not in text
    assert url(club, "accounting_terms_aircraft", aircraft.pk) in text
    assert url(club, "accounting_terms_instructor", instructor.pk) in text
    assert as_user(treasurer).get(url(club, "accounting_terms_aircraft", aircraft2.pk)).status_code == 404


def test_billing_settings_save(as_user, club, treasurer):
    response = as_user(treasurer).post(url(club, "accounting_terms"), SETTINGS)
    assert response.status_code == 302
    settings = BillingSettings.objects.get(organization=club)
    assert (settings.hours_step, settings.money_step, settings.payment_terms_days) == ("0.05", "0.10", 15)
    assert settings.invoice_prefix == "F-" and settings.credit_limit_member == Decimal("500")
    assert settings.credit_limit_student is None and settings.credit_limit_non_member == Decimal("0")


def test_billing_settings_refusal_shows_and_changes_nothing(as_user, club, treasurer):
    before = billing_settings_for(club)
    response = as_user(treasurer).post(url(club, "accounting_terms"), {**SETTINGS, "credit_note_prefix": "F-"})
    assert response.status_code == 400
    assert "different prefixes" in response.content.decode()
    after = BillingSettings.objects.get(organization=club)
    assert (after.invoice_prefix, after.hours_step) == (before.invoice_prefix, before.hours_step)


def test_settings_post_by_a_pilot_is_not_found(as_user, club, pilot):
    assert as_user(pilot).post(url(club, "accounting_terms"), SETTINGS).status_code == 404
    assert BillingSettings.objects.filter(organization=club, invoice_prefix="F-").count() == 0


def test_aircraft_terms_save(as_user, club, treasurer, aircraft):
    client = as_user(treasurer)
    assert client.get(url(club, "accounting_terms_aircraft", aircraft.pk)).status_code == 200
    response = client.post(url(club, "accounting_terms_aircraft", aircraft.pk), TERMS)
    assert response.status_code == 302
    terms = AircraftTerms.objects.get(aircraft=aircraft)
    aircraft.refresh_from_db()
    assert terms.basis == "tach" and terms.wet and terms.taxi_allowance_minutes == 6
    assert terms.student_rate == Decimal("140") and terms.non_member_rate is None
    assert aircraft.hourly_rate == Decimal("160")


def test_aircraft_terms_refusal_shows_and_changes_nothing(as_user, club, treasurer, aircraft):
    aircraft.has_wiflight_recorder = False
    aircraft.save()
    response = as_user(treasurer).post(url(club, "accounting_terms_aircraft", aircraft.pk), {**TERMS, "basis": "engine"})
    assert response.status_code == 400
    assert "no Wi-Flight recorder" in response.content.decode()
    aircraft.refresh_from_db()
    assert not AircraftTerms.objects.filter(aircraft=aircraft).exists() and aircraft.hourly_rate == Decimal("150")


def test_aircraft_of_another_club_is_not_found(as_user, club, treasurer, other_aircraft):
    assert as_user(treasurer).get(url(club, "accounting_terms_aircraft", other_aircraft.pk)).status_code == 404


def test_instructor_rates_save_and_refuse(as_user, club, treasurer, instructor, pilot):
    client = as_user(treasurer)
    prefix = f"i{instructor.pk}-"
    response = client.post(url(club, "accounting_terms_instructor", instructor.pk),
                           {prefix + "flight_rate": "45", prefix + "ground_rate": "30"})
    assert response.status_code == 302
    rate = InstructorRate.objects.get(instructor=instructor)
    assert (rate.flight_rate, rate.ground_rate) == (Decimal("45"), Decimal("30"))
    refused = client.post(url(club, "accounting_terms_instructor", instructor.pk),
                          {prefix + "flight_rate": "-1", prefix + "ground_rate": "30"})
    assert refused.status_code == 400 and "from 0 up to 100000" in refused.content.decode()
    rate.refresh_from_db()
    assert rate.flight_rate == Decimal("45")
    assert client.get(url(club, "accounting_terms_instructor", pilot.pk)).status_code == 404


def test_accounts_page_lists_members_with_group_and_limit(as_user, club, treasurer, student, pilot):
    billing_settings_for(club)
    BillingSettings.objects.filter(organization=club).update(credit_limit_student=Decimal("200"))
    text = as_user(treasurer).get(url(club, "accounting_terms_accounts")).content.decode()
    assert "Student" in text and "(the group's)" in text
    assert url(club, "accounting_terms_account", pilot.pk) in text
    assert not Account.objects.exists()  # reading makes no accounts


def test_account_update_saves_and_refuses(as_user, club, treasurer, pilot):
    client = as_user(treasurer)
    prefix = f"m{pilot.pk}-"
    response = client.post(url(club, "accounting_terms_account", pilot.pk),
                           {prefix + "group": "non_member", prefix + "credit_limit": "50"})
    assert response.status_code == 302
    account = Account.objects.get(membership=pilot)
    assert account.group == "non_member" and account.credit_limit == Decimal("50")
    refused = client.post(url(club, "accounting_terms_account", pilot.pk),
                          {prefix + "group": "member", prefix + "credit_limit": "-5"})
    assert refused.status_code == 400 and "credit limit of 0 or more" in refused.content.decode()
    account.refresh_from_db()
    assert account.group == "non_member" and account.credit_limit == Decimal("50")


def test_account_of_another_club_is_not_found(as_user, club, treasurer, outsider, viewer, pilot):
    assert as_user(treasurer).get(url(club, "accounting_terms_account", outsider.pk)).status_code == 404
    assert as_user(viewer).post(url(club, "accounting_terms_account", pilot.pk),
                                {f"m{pilot.pk}-group": "student"}).status_code == 404
    assert not Account.objects.exists()
