"""Accounting personas and helpers: a treasurer, and flying a booking through the real
check-out and check-in services."""

from decimal import Decimal

import pytest

from dispatch.services.dispatching import booking_check_in, booking_check_out
from tests.conftest import make_member


@pytest.fixture
def treasurer(club):
    return make_member(club, "treasurer", is_treasurer=True)


@pytest.fixture
def viewer(club):
    return make_member(club, "viewer", is_viewer=True)


@pytest.fixture
def fly(dispatcher):
    """fly(booking, hobbs=1.3, tach=None, fuel=0, ground=0): check out at the aircraft's
    meters and back in that many hours later (tach: 0.8 of Hobbs unless given)."""

    def _fly(booking, hobbs, tach=None, fuel="0", ground="0", actor=None):
        aircraft = booking.aircraft
        aircraft.refresh_from_db()
        hobbs, tach = Decimal(str(hobbs)), Decimal(str(tach)) if tach is not None else (Decimal(str(hobbs)) * Decimal("0.8")).quantize(Decimal("0.1"))
        booking_check_out(actor=actor or dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
        booking_check_in(actor=actor or dispatcher, booking=booking, hobbs_in=aircraft.hobbs + hobbs,
                         tach_in=aircraft.tach + tach, fuel_cost=Decimal(fuel), ground_hours=Decimal(ground))
        booking.refresh_from_db()
        return booking

    return _fly


@pytest.fixture
def set_terms(treasurer):
    """set_terms(aircraft, basis="hobbs", wet=True, taxi=0, minimum="0", rate=None, student=None,
    non_member=None): the aircraft's billing terms through the real service."""
    from accounting.services.terms import aircraft_terms_update

    def _set(aircraft, basis="hobbs", wet=True, taxi=0, minimum="0", rate=None, student=None, non_member=None):
        dec = lambda v: None if v is None else Decimal(str(v))  # noqa: E731
        return aircraft_terms_update(actor=treasurer, aircraft=aircraft, basis=basis, wet=wet,
                                     taxi_allowance_minutes=taxi, minimum_hours=Decimal(str(minimum)),
                                     member_rate=dec(rate) if rate is not None else aircraft.hourly_rate,
                                     student_rate=dec(student), non_member_rate=dec(non_member))

    return _set


@pytest.fixture
def detect_flight(club):
    """detect_flight(booking, engine_minutes, air_minutes, external_id=None): the recorder reports a
    flight for the booking (flights.services.ingest, the path every source takes)."""
    from datetime import timedelta
    from itertools import count

    from flights.services.ingest import DetectedFlight, flight_record_detected

    ids = count(7000)

    def _detect(booking, engine_minutes, air_minutes, external_id=None):
        detected = DetectedFlight(external_id=external_id or str(next(ids)), tail=booking.aircraft.registration,
                                  start=booking.start + timedelta(minutes=5), length_seconds=engine_minutes * 60 + 60,
                                  engine_seconds=engine_minutes * 60, airtime_seconds=air_minutes * 60,
                                  source="notification")
        return flight_record_detected(organization=club, detected=detected, booking=booking)

    return _detect


@pytest.fixture
def correct(dispatcher):
    """correct(booking, hobbs=None, tach=None, fuel=None, ground=None): booking_check_in_correct
    with the flown hours (from Hobbs/tach out) given; what is not given stays."""
    from dispatch.models import Dispatch
    from dispatch.services.dispatching import booking_check_in_correct

    def _correct(booking, hobbs=None, tach=None, fuel=None, ground=None):
        record = Dispatch.objects.get(booking=booking)
        return booking_check_in_correct(
            actor=dispatcher, booking=booking,
            hobbs_in=record.hobbs_out + Decimal(str(hobbs)) if hobbs is not None else record.hobbs_in,
            tach_in=record.tach_out + Decimal(str(tach)) if tach is not None else record.tach_in,
            fuel_cost=Decimal(str(fuel)) if fuel is not None else record.fuel_cost,
            ground_hours=Decimal(str(ground)) if ground is not None else record.ground_hours, reason="misread")

    return _correct
