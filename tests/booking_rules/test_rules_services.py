"""Each booking rule through the services: off, warn, block; a block overridden by a
dispatcher (booked, audited with the facts, marked on the booking) or refused to a pilot;
at booking and, where the rule applies then, again at check-out."""

from decimal import Decimal

import pytest

from booking_rules.checks import CODES
from dispatch.models import Booking
from dispatch.services.bookings import BookingInput, booking_create
from dispatch.services.dispatching import booking_check_out
from core.errors import Conflict, NotAllowed
from tests.booking_rules.conftest import AT_CHECK_OUT, BOOKING_ONLY, OUT, RULES, overrides_of, rule_params
from tests.conftest import at


@rule_params(RULES)
def test_off_books_and_keeps_nothing(scenario, set_rules, aircraft, dispatcher):
    set_rules(**{scenario.rule: "off"}, **scenario.parameters)
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft))
    assert booking.rule_findings == []


@rule_params(RULES)
def test_warn_books_and_keeps_the_warning(scenario, set_rules, aircraft, dispatcher):
    set_rules(**{scenario.rule: "warn"}, **scenario.parameters)
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft))
    assert [(f["code"], f["level"], f["overridden"], f["stage"]) for f in booking.rule_findings] == [
        (scenario.code, "warn", False, "booking")]
    assert not overrides_of(booking)


@rule_params(RULES)
def test_block_refuses_with_the_rules_code(scenario, set_rules, aircraft, dispatcher):
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    before = Booking.objects.count()
    with pytest.raises(Conflict) as exc:
        booking_create(actor=dispatcher, data=scenario.data(aircraft))
    assert exc.value.code == scenario.code
    assert exc.value.details["overridable"] is True
    assert [f["code"] for f in exc.value.details["findings"]] == [scenario.code]
    assert Booking.objects.count() == before


@rule_params(RULES)
def test_a_pilot_blocked_may_not_override(scenario, set_rules, aircraft):
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    with pytest.raises(Conflict) as exc:
        booking_create(actor=scenario.booker, data=scenario.data(aircraft))
    assert exc.value.code == scenario.code and exc.value.details["overridable"] is False
    with pytest.raises(NotAllowed) as exc:
        booking_create(actor=scenario.booker, data=scenario.data(aircraft, override_reason="I know best"))
    assert exc.value.code == "rule_override_not_allowed"


@rule_params(RULES)
def test_a_dispatcher_overrides_with_a_reason_audited_with_the_facts(scenario, set_rules, aircraft, dispatcher):
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft, override_reason="Chief pilot agreed"))
    assert [(f["code"], f["level"], f["overridden"]) for f in booking.rule_findings] == [(scenario.code, "block", True)]
    [event] = overrides_of(booking)
    assert event.actor == dispatcher.user
    assert event.details["reason"] == "Chief pilot agreed" and event.details["stage"] == "booking"
    [finding] = event.details["findings"]
    assert finding["code"] == scenario.code and finding["facts"]["rule"] == scenario.rule
    assert "Chief pilot agreed" in event.summary


@rule_params(AT_CHECK_OUT)
def test_at_check_out_the_rule_is_asked_again(scenario, set_rules, aircraft, dispatcher, club):
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft))  # while the rule is off
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    with pytest.raises(Conflict) as exc:
        booking_check_out(actor=dispatcher, booking=booking, **OUT)
    assert exc.value.code == scenario.code and exc.value.details["overridable"] is True
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    # A pilot checking out their own booking may not override it.
    club.pilots_self_dispatch = True
    club.save()
    booker = type(scenario.booker).objects.get(pk=scenario.booker.pk)
    with pytest.raises(Conflict) as exc:
        booking_check_out(actor=booker, booking=booking, **OUT)
    assert exc.value.details["overridable"] is False
    with pytest.raises(NotAllowed) as exc:
        booking_check_out(actor=booker, booking=booking, override_reason="Just this once", **OUT)
    assert exc.value.code == "rule_override_not_allowed"
    booking_check_out(actor=dispatcher, booking=booking, override_reason="Renewal in the post", **OUT)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DISPATCHED
    assert [(f["code"], f["overridden"], f["stage"]) for f in booking.rule_findings] == [
        (scenario.code, True, "check_out")]
    [event] = overrides_of(booking)
    assert event.details["stage"] == "check_out" and event.details["reason"] == "Renewal in the post"


@rule_params(AT_CHECK_OUT)
def test_a_warning_at_check_out_is_kept_beside_the_bookings(scenario, set_rules, aircraft, dispatcher):
    set_rules(**{scenario.rule: "warn"}, **scenario.parameters)
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft))
    booking_check_out(actor=dispatcher, booking=booking, **OUT)
    booking.refresh_from_db()
    assert [(f["code"], f["level"], f["stage"]) for f in booking.rule_findings] == [
        (scenario.code, "warn", "booking"), (scenario.code, "warn", "check_out")]


@rule_params(BOOKING_ONLY)
def test_rules_of_the_booking_alone_are_not_asked_at_check_out(scenario, set_rules, aircraft, dispatcher):
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft))
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    booking_check_out(actor=dispatcher, booking=booking, **OUT)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DISPATCHED and booking.rule_findings == []


def test_an_override_at_booking_stays_on_the_booking_after_check_out(set_rules, aircraft, dispatcher, pilot):
    set_rules(length="block", max_length_hours=Decimal("1"))
    booking = booking_create(actor=dispatcher, data=BookingInput(aircraft=aircraft, start=at(10, 9), end=at(10, 11),
                                                                 crew=[(pilot, "pic")], override_reason="Cross-country"))
    booking_check_out(actor=dispatcher, booking=booking, **OUT)
    booking.refresh_from_db()
    assert [(f["code"], f["overridden"], f["stage"]) for f in booking.rule_findings] == [
        (CODES["length"], True, "booking")]
