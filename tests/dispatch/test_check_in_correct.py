"""Correcting a checked-in booking: dispatchers and admins, a reason, audited; the aircraft's
meters follow only when it was its last check-in; billing follows (tests/accounting)."""

from decimal import Decimal

import pytest

from clubs.models import AuditEvent
from core.errors import Conflict, Invalid, NotAllowed
from dispatch.models import Dispatch
from dispatch.services.dispatching import booking_check_in, booking_check_in_correct, booking_check_out

pytestmark = pytest.mark.django_db


def _flown(booking, dispatcher, hobbs="1001.5", tach="801.2"):
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=Decimal(hobbs), tach_in=Decimal(tach),
                     fuel_cost=Decimal("42.50"), ground_hours=Decimal("0.5"))
    booking.refresh_from_db()
    return booking


def test_check_in_keeps_fuel_and_ground_time(booking, dispatcher):
    _flown(booking, dispatcher)
    record = Dispatch.objects.get(booking=booking)
    assert (record.fuel_cost, record.ground_hours) == (Decimal("42.50"), Decimal("0.5"))


@pytest.mark.parametrize("fuel, ground, code", [("-1", "0", "fuel_cost_out_of_range"),
                                                ("0", "25", "ground_hours_out_of_range")])
def test_check_in_refuses_bad_fuel_or_ground(booking, dispatcher, fuel, ground, code):
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    with pytest.raises(Invalid) as refused:
        booking_check_in(actor=dispatcher, booking=booking, hobbs_in=Decimal("1001"), tach_in=Decimal("801"),
                         fuel_cost=Decimal(fuel), ground_hours=Decimal(ground))
    assert refused.value.code == code
    booking.refresh_from_db()
    assert booking.status == "dispatched"


def test_correction_moves_meters_of_last_check_in_and_is_audited(booking, dispatcher, aircraft):
    _flown(booking, dispatcher)
    booking_check_in_correct(actor=dispatcher, booking=booking, hobbs_in=Decimal("1001.2"), tach_in=Decimal("801.0"),
                             fuel_cost=Decimal("0"), ground_hours=Decimal("0"), reason="Misread the Hobbs")
    record = Dispatch.objects.get(booking=booking)
    aircraft.refresh_from_db()
    assert (record.hobbs_in, aircraft.hobbs, record.correction_reason) == (Decimal("1001.2"), Decimal("1001.2"),
                                                                            "Misread the Hobbs")
    event = AuditEvent.objects.get(action="booking.check_in_corrected")
    assert event.details["before"]["hobbs_in"] == "1001.5" and event.details["reason"] == "Misread the Hobbs"


def test_correction_needs_reason_and_forward_meters(booking, dispatcher):
    _flown(booking, dispatcher)
    with pytest.raises(Invalid) as no_reason:
        booking_check_in_correct(actor=dispatcher, booking=booking, hobbs_in=Decimal("1001.2"), tach_in=Decimal("801"),
                                 fuel_cost=Decimal("0"), ground_hours=Decimal("0"), reason="  ")
    with pytest.raises(Invalid) as backwards:
        booking_check_in_correct(actor=dispatcher, booking=booking, hobbs_in=Decimal("999"), tach_in=Decimal("801"),
                                 fuel_cost=Decimal("0"), ground_hours=Decimal("0"), reason="typo")
    assert (no_reason.value.code, backwards.value.code) == ("reason_required", "meter_backwards")
    assert Dispatch.objects.get(booking=booking).hobbs_in == Decimal("1001.5")


def test_pilot_cannot_correct_even_when_self_dispatching(booking, dispatcher, pilot, club):
    club.pilots_self_dispatch = True
    club.save()
    _flown(booking, dispatcher)
    with pytest.raises(NotAllowed):
        booking_check_in_correct(actor=pilot, booking=booking, hobbs_in=Decimal("1001.2"), tach_in=Decimal("801"),
                                 fuel_cost=Decimal("0"), ground_hours=Decimal("0"), reason="mine")


def test_only_a_checked_in_booking_is_corrected(booking, dispatcher):
    with pytest.raises(Conflict) as refused:
        booking_check_in_correct(actor=dispatcher, booking=booking, hobbs_in=Decimal("1001.2"), tach_in=Decimal("801"),
                                 fuel_cost=Decimal("0"), ground_hours=Decimal("0"), reason="x")
    assert refused.value.code == "booking_state"


def test_correction_page_saves_and_refuses(booking, dispatcher, pilot, as_user):
    _flown(booking, dispatcher)
    url = f"/o/tac/bookings/{booking.pk}/check-in/correct/"
    assert as_user(pilot).get(url).status_code == 404
    page = as_user(dispatcher).get(url)
    assert page.status_code == 200 and b"1001.5" in page.content
    bad = as_user(dispatcher).post(url, {"hobbs_in": "990", "tach_in": "801.2", "fuel_cost": "", "ground_hours": "",
                                         "reason": "typo"})
    assert bad.status_code == 400 and "Hobbs in must be at least".encode() in bad.content
    ok = as_user(dispatcher).post(url, {"hobbs_in": "1001.3", "tach_in": "801.2", "fuel_cost": "10", "ground_hours": "",
                                        "reason": "typo"})
    assert ok.status_code == 302
    assert Dispatch.objects.get(booking=booking).fuel_cost == Decimal("10")


def test_check_in_form_takes_fuel_and_ground(booking, dispatcher, as_user):
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    response = as_user(dispatcher).post(f"/o/tac/bookings/{booking.pk}/check-in/",
                                        {"hobbs_in": "1001.0", "tach_in": "800.8", "fuel_cost": "55.20", "ground_hours": "1"})
    assert response.status_code == 302
    record = Dispatch.objects.get(booking=booking)
    assert (record.fuel_cost, record.ground_hours) == (Decimal("55.20"), Decimal("1"))
