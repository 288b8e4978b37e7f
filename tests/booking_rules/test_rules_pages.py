"""The booking rules settings page (admins) and a member's qualifications page: who sees and
changes what, bad input refused on its field with nothing saved."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from booking_rules.models import AircraftCheckout, BookingRules, SoloEndorsement
from booking_rules.services import checkout_grant, endorsement_grant
from booking_rules.views import document_standing
from clubs.models import AuditEvent, Membership
from tests.conftest import client_for


def _url(club, name, *args):
    return reverse(f"booking_rules:{name}", args=[club.slug, *args])


GOOD = {"licence": "block", "medical": "warn", "flight_review": "off", "aircraft_checkout": "off", "recency": "warn",
        "credit_limit": "off", "active_bookings": "off", "horizon": "block", "length": "off",
        "solo_endorsement": "block", "recency_days": "60", "max_active_bookings": "3", "horizon_days": "30",
        "max_length_hours": "4.5"}


def test_admin_sees_every_rule_with_its_description(club, admin):
    response = client_for(admin).get(_url(club, "settings"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "A student flying solo holds an instructor&#x27;s endorsement." in text
    assert text.count('type="radio"') == 30 and 'name="max_length_hours"' in text
    assert not BookingRules.objects.exists()  # a read writes nothing


@pytest.mark.parametrize("who", ["dispatcher", "instructor", "pilot", "outsider"])
def test_only_admins_reach_the_settings(club, who, request):
    member = request.getfixturevalue(who)
    client = client_for(member)
    assert client.get(_url(club, "settings")).status_code == 404
    assert client.post(_url(club, "settings"), GOOD).status_code == 404
    assert not BookingRules.objects.exists()


def test_admin_saves_the_rules_audited(club, admin):
    response = client_for(admin).post(_url(club, "settings"), GOOD)
    assert response.status_code == 302
    rules = BookingRules.objects.get(organization=club)
    assert (rules.licence, rules.medical, rules.horizon, rules.recency_days, rules.max_length_hours) == (
        "block", "warn", "block", 60, Decimal("4.5"))
    assert AuditEvent.objects.filter(action="booking_rules.updated").exists()
    again = client_for(admin).get(_url(club, "settings")).content.decode()
    assert 'value="4.5"' in again


@pytest.mark.parametrize("field,value", [("licence", "maybe"), ("max_length_hours", "abc"),
                                         ("max_length_hours", "0.25"), ("recency_days", "0"),
                                         ("horizon_days", "1e9"), ("max_active_bookings", "")])
def test_bad_input_is_400_on_its_field_and_nothing_saved(club, admin, field, value):
    response = client_for(admin).post(_url(club, "settings"), {**GOOD, field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not BookingRules.objects.exists()


def test_qualifications_page_who_sees_it(club, admin, dispatcher, instructor, pilot, pilot2, outsider):
    url = _url(club, "member", pilot.pk)
    for who in (admin, dispatcher, instructor, pilot):
        assert client_for(who).get(url).status_code == 200, who
    for who in (pilot2, outsider):
        assert client_for(who).get(url).status_code == 404, who
    assert client_for(admin).get(_url(club, "member", outsider.pk)).status_code == 404


def test_the_member_sees_their_own_read_only(club, pilot):
    text = client_for(pilot).get(_url(club, "member", pilot.pk)).content.decode()
    assert "Not on file" in text
    assert 'name="licence_expires_on"' not in text and "Grant the checkout" not in text
    response = client_for(pilot).post(_url(club, "member_documents", pilot.pk), {"licence_expires_on": "2031-01-01"})
    assert response.status_code == 404
    assert Membership.objects.get(pk=pilot.pk).licence_expires_on is None


def test_dispatcher_keeps_the_dates_and_sees_them_in_words(club, dispatcher, pilot):
    today = timezone.localdate(timezone=club.tz)
    client = client_for(dispatcher)
    response = client.post(_url(club, "member_documents", pilot.pk), {
        "licence_expires_on": (today - timedelta(days=3)).isoformat(),
        "medical_expires_on": (today + timedelta(days=10)).isoformat(), "flight_review_expires_on": ""})
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.licence_expires_on == today - timedelta(days=3) and pilot.flight_review_expires_on is None
    text = client.get(_url(club, "member", pilot.pk)).content.decode()
    assert "Expired 3 days ago" in text and "Expires in 10 days" in text and "Not on file" in text


def test_a_bad_date_is_400_and_nothing_saved(club, dispatcher, pilot):
    response = client_for(dispatcher).post(_url(club, "member_documents", pilot.pk), {"licence_expires_on": "2030-13-45"})
    assert response.status_code == 400
    assert "licence_expires_on" in response.context["documents_form"].errors
    response = client_for(dispatcher).post(_url(club, "member_documents", pilot.pk), {"medical_expires_on": "1850-01-01"})
    assert response.status_code == 400
    assert Membership.objects.get(pk=pilot.pk).medical_expires_on is None


def test_instructor_grants_and_revokes_checkouts(club, instructor, dispatcher, pilot, aircraft):
    client = client_for(instructor)
    assert client.post(_url(club, "checkout_new", pilot.pk), {"aircraft": aircraft.pk}).status_code == 302
    assert client.post(_url(club, "checkout_new", pilot.pk), {"aircraft_type": "Cessna 152"}).status_code == 302
    both = client.post(_url(club, "checkout_new", pilot.pk), {"aircraft": aircraft.pk, "aircraft_type": "PA-28"})
    assert both.status_code == 400
    again = client.post(_url(club, "checkout_new", pilot.pk), {"aircraft": aircraft.pk})
    assert again.status_code == 400 and "already checked out" in again.content.decode()
    assert AircraftCheckout.objects.filter(membership=pilot, revoked_at__isnull=True).count() == 2
    text = client.get(_url(club, "member", pilot.pk)).content.decode()
    assert "F-GABC (Robin DR400)" in text and "Every Cessna 152" in text
    checkout = AircraftCheckout.objects.get(aircraft=aircraft)
    # A dispatcher keeps dates but grants nothing.
    assert client_for(dispatcher).post(_url(club, "checkout_revoke", pilot.pk, checkout.pk)).status_code == 404
    assert client.post(_url(club, "checkout_revoke", pilot.pk, checkout.pk), {"note": "Hard landing"}).status_code == 302
    checkout.refresh_from_db()
    assert checkout.revoked_at is not None
    assert AuditEvent.objects.filter(action="checkout.revoked").exists()


def test_instructor_endorses_their_student_until_a_date(club, instructor, student, pilot):
    client = client_for(instructor)
    until = timezone.localdate(timezone=club.tz) + timedelta(days=30)
    response = client.post(_url(club, "endorsement_new", student.pk), {"expires_on": until.isoformat(),
                                                                       "aircraft_type": "Robin DR400"})
    assert response.status_code == 302
    endorsement = SoloEndorsement.objects.get(membership=student)
    assert (endorsement.expires_on, endorsement.aircraft_type) == (until, "Robin DR400")
    past = client.post(_url(club, "endorsement_new", student.pk), {"expires_on": "2000-01-01"})
    assert past.status_code == 400 and "expires_on" in past.context["endorsement_form"].errors
    not_a_student = client.post(_url(club, "endorsement_new", pilot.pk), {"expires_on": until.isoformat()})
    assert not_a_student.status_code == 400
    assert client.post(_url(club, "endorsement_revoke", student.pk, endorsement.pk)).status_code == 302
    endorsement.refresh_from_db()
    assert endorsement.revoked_at is not None


def test_links_from_the_members_pages(club, admin, dispatcher, pilot):
    text = client_for(admin).get(reverse("member_list", args=[club.slug])).content.decode()
    settings_link = f'href="{_url(club, "settings")}"'
    assert _url(club, "member", pilot.pk) in text and settings_link in text
    text = client_for(dispatcher).get(reverse("member_list", args=[club.slug])).content.decode()
    assert _url(club, "member", pilot.pk) in text and settings_link not in text
    text = client_for(admin).get(reverse("member_edit", args=[club.slug, pilot.pk])).content.decode()
    assert _url(club, "member", pilot.pk) in text


def test_document_standing_in_words():
    today = date(2030, 6, 10)
    assert document_standing(None, today) == ("missing", "Not on file")
    assert document_standing(date(2030, 6, 9), today) == ("expired", "Expired 1 day ago")
    assert document_standing(today, today) == ("expiring", "Expires today")
    assert document_standing(date(2030, 6, 11), today) == ("expiring", "Expires in 1 day")
    assert document_standing(date(2031, 6, 11), today) == ("valid", "Valid")


def test_granted_elsewhere_shows_here(club, instructor, student, aircraft, pilot):
    checkout_grant(actor=instructor, member=pilot, aircraft=aircraft, note="Checked 3 landings")
    endorsement_grant(actor=instructor, student=student, expires_on=timezone.localdate(timezone=club.tz))
    assert "Checked 3 landings" in client_for(pilot).get(_url(club, "member", pilot.pk)).content.decode()
    assert "Any type" in client_for(student).get(_url(club, "member", student.pk)).content.decode()
