"""Billing settings, aircraft terms, instructor rates and accounts: validated, audited."""

from decimal import Decimal

import pytest

from accounting.models import AircraftTerms, InstructorRate
from accounting.services.accounts import account_for
from accounting.services.invoices import invoice_line_add
from accounting.services.terms import (account_update, aircraft_terms_update, billing_settings_update,
                                       instructor_rate_update)
from clubs.models import AuditEvent
from core.errors import Conflict, Invalid

D = Decimal
pytestmark = pytest.mark.django_db


def settings_update(treasurer, **kw):
    values = {"currency": "EUR", "hours_step": "0.1", "money_step": "0.01", "payment_terms_days": 30,
              "invoice_prefix": "INV-", "credit_note_prefix": "CN-", "credit_limits": {}, **kw}
    return billing_settings_update(actor=treasurer, **values)


@pytest.mark.parametrize("change, code", [
    ({"currency": "XXQ"}, "currency_unknown"), ({"hours_step": "0.2"}, "hours_step_unknown"),
    ({"money_step": "0.02"}, "money_step_unknown"), ({"currency": "JPY", "money_step": "0.05"}, "money_step_too_fine"),
    ({"payment_terms_days": 400}, "payment_terms_out_of_range"), ({"credit_note_prefix": "INV-"}, "prefixes_same"),
    ({"credit_limits": {"member": D("-1")}}, "rate_out_of_range"),
])
def test_settings_refusals(treasurer, change, code):
    with pytest.raises(Invalid) as refused:
        settings_update(treasurer, **change)
    assert refused.value.code == code


def test_currency_fixed_once_invoiced(treasurer, pilot):
    settings_update(treasurer, currency="CAD")
    invoice_line_add(actor=treasurer, member=pilot, description="Fee", amount=D("1"))
    with pytest.raises(Conflict) as refused:
        settings_update(treasurer, currency="USD")
    assert refused.value.code == "currency_in_use"


def test_aircraft_terms_and_audit(treasurer, aircraft):
    terms = aircraft_terms_update(actor=treasurer, aircraft=aircraft, basis="airtime", wet=False,
                                  taxi_allowance_minutes=6, minimum_hours=D("0.5"), member_rate=D("160"),
                                  student_rate=D("140"), non_member_rate=None)
    aircraft.refresh_from_db()
    assert (AircraftTerms.objects.get().basis, aircraft.hourly_rate, terms.student_rate) == ("airtime", D("160"), D("140"))
    assert AuditEvent.objects.filter(action="billing.aircraft_terms_changed").count() == 1


def test_a_recorder_basis_needs_a_recorder(treasurer, aircraft):
    aircraft.has_wiflight_recorder = False
    aircraft.save()
    with pytest.raises(Invalid) as refused:
        aircraft_terms_update(actor=treasurer, aircraft=aircraft, basis="engine", wet=True, taxi_allowance_minutes=0,
                              minimum_hours=D("0"), member_rate=D("150"), student_rate=None, non_member_rate=None)
    assert refused.value.code == "billing_basis_needs_recorder"


def test_instructor_rates(treasurer, instructor, pilot):
    instructor_rate_update(actor=treasurer, instructor=instructor, flight_rate=D("40"), ground_rate=D("30"))
    assert InstructorRate.objects.get().ground_rate == D("30")
    with pytest.raises(Invalid) as refused:
        instructor_rate_update(actor=treasurer, instructor=pilot, flight_rate=D("40"), ground_rate=D("30"))
    assert refused.value.code == "not_an_instructor"


def test_account_update(treasurer, pilot):
    account_update(actor=treasurer, member=pilot, group="non_member", credit_limit=D("500"))
    account = account_for(pilot)
    assert (account.group, account.credit_limit) == ("non_member", D("500"))
    assert AuditEvent.objects.filter(action="account.changed").count() == 1
    with pytest.raises(Invalid) as refused:
        account_update(actor=treasurer, member=pilot, group="vip", credit_limit=None)
    assert refused.value.code == "member_group_unknown"
