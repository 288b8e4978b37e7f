"""Flying an aircraft through the real dispatch services, and keeping its items through the
real maintenance services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dispatch.models import BookingCrew
from dispatch.services.dispatching import booking_check_in, booking_check_out
from maintenance.services.items import ItemInput, item_create
from tests.api.conftest import _no_rate_limit_unless_asked, write_key  # noqa: F401 - the API's fixtures
from tests.webhooks.conftest import make_endpoint, receiver  # noqa: F401 - fixtures for the webhook test

PIC = BookingCrew.Role.PIC
D = Decimal


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fly(book, dispatcher, pilot):
    """fly(aircraft, tach_in, hours_ago=1, **check_in): a booking that ended `hours_ago`,
    checked out at the aircraft's meters and in at `tach_in` (Hobbs moves alike)."""

    def _fly(aircraft, tach_in, hours_ago=1, **check_in):
        aircraft.refresh_from_db()
        end = timezone.now() - timedelta(hours=hours_ago)
        booking = book(aircraft, end - timedelta(hours=2), end, [(pilot, PIC)])
        booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach,
                          at=end - timedelta(hours=2))
        flown = D(str(tach_in)) - aircraft.tach
        booking_check_in(actor=dispatcher, booking=booking, hobbs_in=aircraft.hobbs + flown, tach_in=D(str(tach_in)),
                         at=end, **check_in)
        aircraft.refresh_from_db()
        return booking

    return _fly


@pytest.fixture
def hundred_hour(mechanic, aircraft):
    """The 100-hour of `aircraft` (tach 800.0), due at 850.0 with its 10 h tolerance."""
    return item_create(actor=mechanic, aircraft=aircraft, data=ItemInput(
        kind="hundred_hour", name="100-hour inspection", interval_hours=D("100"), tolerance_hours=D("10"),
        next_due_hours=D("850.0")))


@pytest.fixture
def annual(mechanic, aircraft, club):
    today = timezone.localdate(timezone=club.tz)
    return item_create(actor=mechanic, aircraft=aircraft, data=ItemInput(
        kind="annual", name="Annual inspection", interval_months=12, next_due_on=today + timedelta(days=60)))


def today_of(club) -> date:
    return timezone.localdate(timezone=club.tz)
