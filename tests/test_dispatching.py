from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dispatch.models import Aircraft, Booking
from dispatch.services.bookings import BookingInput
from dispatch.services.dispatching import booking_check_in, booking_check_out, walkup_dispatch
from clubs.models import AuditEvent
from tests.conftest import client_for


def test_check_out_and_in_moves_meters_and_status(dispatcher, booking, aircraft):
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    assert Booking.objects.get(pk=booking.pk).status == "dispatched"
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=Decimal("1001.6"), tach_in=Decimal("801.3"),
                     squawks="Left landing light out")
    booking.refresh_from_db()
    aircraft.refresh_from_db()
    assert booking.status == "completed"
    assert (aircraft.hobbs, aircraft.tach) == (Decimal("1001.6"), Decimal("801.3"))
    assert booking.dispatch.hobbs_hours == Decimal("1.6")
    assert booking.dispatch.squawks == "Left landing light out"


def test_reading_below_last_check_in_needs_a_reason(dispatcher, booking):
    with pytest.raises(ValidationError, match="below the last check-in reading 1000.0"):
        booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("999.0"), tach_out=Decimal("800.0"))
    assert Booking.objects.get(pk=booking.pk).status == "booked"


def test_correction_with_reason_is_accepted_and_audited(dispatcher, booking, club):
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("12.0"), tach_out=Decimal("800.0"),
                      correction_reason="Hobbs meter replaced")
    event = AuditEvent.objects.get(organization=club, action="booking.dispatched")
    assert "meter correction" in event.summary
    assert event.details["correction_reason"] == "Hobbs meter replaced"
    assert event.details["hobbs_before"] == "1000.0"


def test_check_in_cannot_run_backwards(dispatcher, booking):
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    with pytest.raises(ValidationError, match="Hobbs in must be at least Hobbs out"):
        booking_check_in(actor=dispatcher, booking=booking, hobbs_in=Decimal("999.9"), tach_in=Decimal("801"))


def test_cannot_check_out_twice_or_a_grounded_aircraft(dispatcher, booking, aircraft):
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    with pytest.raises(ValidationError, match="dispatched booking cannot be checked out"):
        booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    Aircraft.objects.filter(pk=aircraft.pk).update(status="grounded", grounded_reason="Bird strike")
    with pytest.raises(ValidationError, match="grounded: Bird strike"):
        booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))


def test_pilot_cannot_dispatch(pilot, booking):
    with pytest.raises(ValidationError, match="Only dispatchers"):
        booking_check_out(actor=pilot, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))


def test_walkup_books_from_now_and_checks_out(dispatcher, aircraft, pilot):
    now = timezone.now()
    booking = walkup_dispatch(actor=dispatcher, data=BookingInput(
        aircraft=aircraft, start=now, end=now + timedelta(hours=1), crew=[(pilot, "pic")]),
        hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    assert booking.status == "dispatched" and booking.dispatch.hobbs_out == Decimal("1000.0")


def test_walkup_failure_leaves_nothing(dispatcher, aircraft, pilot):
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        walkup_dispatch(actor=dispatcher, data=BookingInput(
            aircraft=aircraft, start=now, end=now + timedelta(hours=1), crew=[(pilot, "pic")]),
            hobbs_out=Decimal("5.0"), tach_out=Decimal("800.0"))
    assert refused.value.code == "meter_backwards" and refused.value.field == "hobbs_out"
    assert not Booking.objects.exists()


def test_check_out_and_in_through_the_pages(dispatcher, booking, club):
    client = client_for(dispatcher)
    r = client.post(reverse("dispatch:check_out", args=[club.slug, booking.pk]), {"hobbs_out": "998", "tach_out": "800"})
    assert r.status_code == 400 and "give a correction reason" in r.content.decode()
    r = client.post(reverse("dispatch:check_out", args=[club.slug, booking.pk]), {"hobbs_out": "1000.2", "tach_out": "800"})
    assert r.status_code == 302
    r = client.post(reverse("dispatch:check_in", args=[club.slug, booking.pk]), {"hobbs_in": "1001.5", "tach_in": "801"})
    assert r.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == "completed"


def test_walkup_page(dispatcher, aircraft, pilot, club):
    end = timezone.localtime(timezone.now() + timedelta(hours=2), club.tz).strftime("%Y-%m-%dT%H:%M")
    r = client_for(dispatcher).post(reverse("dispatch:walkup", args=[club.slug]), {
        "aircraft": aircraft.pk, "end": end, "pic": pilot.pk, "purpose": "rental",
        "hobbs_out": "1000.0", "tach_out": "800.0"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Booking.objects.get().status == "dispatched"
