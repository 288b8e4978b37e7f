"""Each booking rule through the API: the same codes as the board and the forms (409 with
details.findings and details.overridable), an override_reason from a dispatcher-level key
books anyway, at booking and at check-out."""

import pytest

from api.keys import api_key_create
from dispatch.models import Booking
from dispatch.services.bookings import booking_create
from tests.api.conftest import ApiClient, base
from tests.booking_rules.conftest import AT_CHECK_OUT, RULES, overrides_of, rule_params


@pytest.fixture
def api(admin):
    return ApiClient(api_key_create(actor=admin, name="Club script", scopes="read,write")[1])


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMITS_ENABLED = False


CHECK_OUT_BODY = {"data": {"type": "booking", "attributes": {"hobbs_out": "1000.0", "tach_out": "800.0"}}}


@rule_params(RULES)
def test_a_block_is_409_with_the_rules_code(scenario, set_rules, api, club, aircraft):
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    before = Booking.objects.count()
    response = api.post(f"{base(club)}/bookings", scenario.api(aircraft))
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == scenario.code
    assert error["details"]["overridable"] is True
    assert [f["code"] for f in error["details"]["findings"]] == [scenario.code]
    assert Booking.objects.count() == before


@rule_params(RULES)
def test_an_override_reason_books_and_is_audited(scenario, set_rules, api, club, aircraft):
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    response = api.post(f"{base(club)}/bookings", scenario.api(aircraft, override_reason="Board approved"))
    assert response.status_code == 201, response.content
    booking = Booking.objects.get(pk=response.json()["data"]["id"])
    assert [(f["code"], f["overridden"]) for f in booking.rule_findings] == [(scenario.code, True)]
    [event] = overrides_of(booking)
    assert event.details["reason"] == "Board approved"


@rule_params(RULES)
def test_a_warning_books_201(scenario, set_rules, api, club, aircraft):
    set_rules(**{scenario.rule: "warn"}, **scenario.parameters)
    response = api.post(f"{base(club)}/bookings", scenario.api(aircraft))
    assert response.status_code == 201, response.content
    booking = Booking.objects.get(pk=response.json()["data"]["id"])
    assert [(f["code"], f["level"]) for f in booking.rule_findings] == [(scenario.code, "warn")]


@rule_params(AT_CHECK_OUT)
def test_check_out_is_409_then_overridden(scenario, set_rules, api, club, aircraft, dispatcher):
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft))
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    url = f"{base(club)}/bookings/{booking.pk}/check-out"
    response = api.post(url, CHECK_OUT_BODY)
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == scenario.code
    body = {"data": {"type": "booking", "attributes": {**CHECK_OUT_BODY["data"]["attributes"],
                                                       "override_reason": "Seen the renewal"}}}
    response = api.post(url, body)
    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DISPATCHED
    assert overrides_of(booking)[0].details["stage"] == "check_out"
