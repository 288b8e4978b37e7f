"""The club's booking rules through the API, with the board's codes: a block is 409 with the
rule's code, its findings and whether the caller may override; an API key (admin and
dispatcher) overrides with a reason, a pilot's token may not; warnings come back in
meta.warnings and on the booking. At booking and again at check-out. (tests/booking_rules
holds every rule; this proves the API's path for a few.)"""

from datetime import date
from decimal import Decimal

import pytest

from accounting.services.invoices import invoice_issue, invoice_line_add
from accounting.services.terms import account_update
from booking_rules.services import checkout_grant
from clubs.models import AuditEvent
from dispatch.models import Booking
from tests.api.conftest import base
from tests.conftest import at, make_member

VALID = date(2040, 1, 1)
OUT = {"hobbs_out": "1000.0", "tach_out": "800.0"}


def _body(aircraft, pilot, start=None, end=None, **extra):
    return {"data": {"type": "booking", "attributes": {
        "aircraft": aircraft.registration, "start": (start or at(10, 9)).isoformat(),
        "end": (end or at(10, 11)).isoformat(), "crew": [{"member": str(pilot.pk), "role": "pic"}], **extra}}}


def _error(response):
    return response.status_code, response.json()["error"]["code"]


@pytest.fixture
def treasurer(club):
    return make_member(club, "treasurer", is_treasurer=True)


@pytest.fixture
def over_limit(treasurer, pilot):
    line = invoice_line_add(actor=treasurer, member=pilot, description="Membership fee", amount=Decimal("500"))
    invoice_issue(actor=treasurer, invoice=line.invoice)
    account_update(actor=treasurer, member=pilot, group="member", credit_limit=Decimal("100"))


CASES = {
    # rule: (code, what else the rule needs set)
    "medical": ("medical_expired", {}),
    "aircraft_checkout": ("aircraft_checkout_missing", {}),
    "credit_limit": ("credit_limit_exceeded", {}),
    "length": ("booking_longer_than_allowed", {"max_length_hours": Decimal("1")}),
}


@pytest.fixture(params=sorted(CASES))
def rule(request, over_limit):
    return request.param


def test_a_block_is_409_with_the_rules_code_findings_and_overridable(api, club, aircraft, pilot, set_rules, rule):
    code, params = CASES[rule]
    set_rules(**{rule: "block"}, **params)
    response = api.post(f"{base(club)}/bookings", _body(aircraft, pilot))
    assert _error(response) == (409, code), response.content
    details = response.json()["error"]["details"]
    assert [f["code"] for f in details["findings"]] == [code]
    assert details["overridable"] is True and details["field"] == "override_reason"
    assert not Booking.objects.exists()


def test_a_key_overrides_with_a_reason_kept_on_the_booking_and_audited(api, club, aircraft, pilot, set_rules, rule):
    code, params = CASES[rule]
    set_rules(**{rule: "block"}, **params)
    response = api.post(f"{base(club)}/bookings", _body(aircraft, pilot, override_reason="Chief pilot agreed"))
    assert response.status_code == 201, response.content
    data = response.json()
    [finding] = data["data"]["attributes"]["rule_findings"]
    assert (finding["code"], finding["level"], finding["overridden"]) == (code, "block", True)
    assert data["meta"]["warnings"] == []
    audit = AuditEvent.objects.get(action="booking.rules_overridden")
    assert audit.target_id == data["data"]["id"] and "Chief pilot agreed" in audit.summary


def test_a_pilots_token_is_told_it_may_not_override(token_for, club, aircraft, pilot, set_rules, rule):
    code, params = CASES[rule]
    set_rules(**{rule: "block"}, **params)
    as_pilot = token_for(pilot)
    response = as_pilot.post(f"{base(club)}/bookings", _body(aircraft, pilot))
    assert _error(response) == (409, code)
    assert response.json()["error"]["details"]["overridable"] is False
    response = as_pilot.post(f"{base(club)}/bookings", _body(aircraft, pilot, override_reason="I know best"))
    assert _error(response) == (403, "rule_override_not_allowed")
    assert not Booking.objects.exists()


def test_a_warning_books_and_says_so_in_meta(api, club, aircraft, pilot, set_rules, rule):
    code, params = CASES[rule]
    set_rules(**{rule: "warn"}, **params)
    response = api.post(f"{base(club)}/bookings", _body(aircraft, pilot))
    assert response.status_code == 201, response.content
    body = response.json()
    assert [w["code"] for w in body["meta"]["warnings"]] == [code]
    assert body["data"]["attributes"]["rule_findings"] == body["meta"]["warnings"]
    again = api.get(f"{base(club)}/bookings/{body['data']['id']}").json()
    assert again["data"]["attributes"]["rule_findings"] == body["meta"]["warnings"] and "meta" not in again


def test_a_change_that_breaks_the_length_rule_is_refused_and_changes_nothing(api, club, booking, set_rules):
    set_rules(length="block", max_length_hours=Decimal("2"))
    response = api.patch(f"{base(club)}/bookings/{booking.pk}", {"end": at(10, 14).isoformat()})
    assert _error(response) == (409, "booking_longer_than_allowed")
    booking.refresh_from_db()
    assert booking.end == at(10, 11)
    response = api.patch(f"{base(club)}/bookings/{booking.pk}", {"end": at(10, 14).isoformat(),
                                                                 "override_reason": "Cross-country"})
    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert booking.end == at(10, 14)


def test_a_medical_lapsed_since_booking_blocks_the_check_out(api, club, aircraft, pilot, booking, set_rules):
    set_rules(medical="block")  # booked before the rule: the check-out asks again, as of now
    response = api.post(f"{base(club)}/bookings/{booking.pk}/check-out", OUT)
    assert _error(response) == (409, "medical_expired")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    response = api.post(f"{base(club)}/bookings/{booking.pk}/check-out", {**OUT, "override_reason": "Renewal seen"})
    assert response.status_code == 200, response.content
    attributes = response.json()["data"]["attributes"]
    assert attributes["status"] == "dispatched"
    assert [(f["code"], f["overridden"]) for f in attributes["rule_findings"]] == [("medical_expired", True)]


def test_a_pilot_who_self_dispatches_is_refused_the_override_at_check_out(token_for, club, aircraft, pilot, booking,
                                                                          set_rules):
    club.pilots_self_dispatch = True
    club.save()
    set_rules(aircraft_checkout="block")
    as_pilot = token_for(pilot)
    response = as_pilot.post(f"{base(club)}/bookings/{booking.pk}/check-out", OUT)
    assert _error(response) == (409, "aircraft_checkout_missing")
    response = as_pilot.post(f"{base(club)}/bookings/{booking.pk}/check-out", {**OUT, "override_reason": "x"})
    assert _error(response) == (403, "rule_override_not_allowed")
    checkout_grant(actor=club.memberships.get(user__username="admin"), member=pilot, aircraft=aircraft)
    response = as_pilot.post(f"{base(club)}/bookings/{booking.pk}/check-out", OUT)
    assert response.status_code == 200, response.content


def test_documents_on_file_pass_the_rule(api, club, aircraft, pilot, set_rules):
    pilot.medical_expires_on = VALID
    pilot.save()
    set_rules(medical="block")
    assert api.post(f"{base(club)}/bookings", _body(aircraft, pilot)).status_code == 201
