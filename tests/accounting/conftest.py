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
