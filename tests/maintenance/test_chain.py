"""The meter chain: readings from check-out and check-in, Wi-Flight engine time, flags and
corrections (maintenance.chain, fed by maintenance.subscribers through the real services)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from clubs.models import AuditEvent
from core.errors import Invalid
from dispatch.services.dispatching import booking_check_in, booking_check_out
from dispatch.services.fleet import aircraft_meters_correct
from flights.models import Flight
from flights.services.ingest import DetectedFlight, flight_record_detected
from maintenance.chain import hours_at
from maintenance.models import MeterReading
from tests.maintenance.conftest import PIC

D = Decimal
S = MeterReading.Source


def _detect(club, aircraft, external_id, *, ended_ago_hours, engine_hours):
    end = timezone.now() - timedelta(hours=ended_ago_hours)
    seconds = int(engine_hours * 3600)
    return flight_record_detected(organization=club, detected=DetectedFlight(
        external_id=external_id, tail=aircraft.registration, start=end - timedelta(seconds=seconds),
        length_seconds=seconds, engine_seconds=seconds, airtime_seconds=seconds - 300, source=Flight.Source.NOTIFICATION))


def test_check_out_and_check_in_join_the_chain_and_move_the_hours(fly, aircraft):
    booking = fly(aircraft, "801.5")
    readings = list(MeterReading.objects.filter(aircraft=aircraft))
    assert [(r.source, r.tach, r.booking_id, r.out_of_order) for r in readings] == [
        (S.CHECK_OUT, D("800.0"), booking.pk, False), (S.CHECK_IN, D("801.5"), booking.pk, False)]
    assert hours_at(aircraft) == D("801.5")


def test_wiflight_engine_time_counts_until_the_next_check_in_and_never_twice(book, dispatcher, pilot, club, aircraft):
    now = timezone.now()
    booking = book(aircraft, now - timedelta(hours=4), now - timedelta(minutes=30), [(pilot, PIC)])
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=D("1000.0"), tach_out=D("800.0"),
                      at=now - timedelta(hours=4))
    _detect(club, aircraft, "wf-1", ended_ago_hours=2, engine_hours=1.2)
    assert hours_at(aircraft) == D("801.2")  # the check-out's 800.0 and the flight's engine time
    _detect(club, aircraft, "wf-1", ended_ago_hours=2, engine_hours=1.2)  # the same flight, reported again
    assert MeterReading.objects.filter(source=S.FLIGHT).count() == 1
    assert hours_at(aircraft) == D("801.2")
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=D("1001.4"), tach_in=D("801.3"),
                     at=now - timedelta(minutes=30))
    assert hours_at(aircraft) == D("801.3")  # the check-in covers the flight: not 802.5


def test_a_check_out_below_the_last_check_in_is_refused_without_a_reason(fly, book, dispatcher, pilot, aircraft):
    fly(aircraft, "810.0", hours_ago=5)
    now = timezone.now()
    booking = book(aircraft, now - timedelta(hours=2), now + timedelta(hours=1), [(pilot, PIC)])
    with pytest.raises(Invalid) as exc:
        booking_check_out(actor=dispatcher, booking=booking, hobbs_out=D("1005.0"), tach_out=D("805.0"))
    assert exc.value.code == "meter_backwards"
    assert not MeterReading.objects.filter(booking=booking).exists()
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=D("1005.0"), tach_out=D("805.0"),
                      correction_reason="Tach replaced")
    reading = MeterReading.objects.get(booking=booking, source=S.CHECK_OUT)
    assert not reading.out_of_order and "Tach replaced" in reading.note and reading.is_reset
    assert hours_at(aircraft) == D("810.0")  # a correction never takes flown hours away


def test_a_past_dated_check_in_that_does_not_fit_is_flagged_out_of_order(fly, book, dispatcher, pilot, aircraft):
    fly(aircraft, "805.0", hours_ago=2)  # flown 800.0 -> 805.0, ending two hours ago
    # A flight of the day before, recorded after the fact with the meters the aircraft has now.
    aircraft.refresh_from_db()
    start = timezone.now() - timedelta(days=1)
    late = book(aircraft, start, start + timedelta(hours=1), [(pilot, PIC)])
    booking_check_out(actor=dispatcher, booking=late, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach, at=start)
    booking_check_in(actor=dispatcher, booking=late, hobbs_in=aircraft.hobbs + 1, tach_in=aircraft.tach + 1,
                     at=start + timedelta(hours=1))
    check_in = MeterReading.objects.get(booking=late, source=S.CHECK_IN)
    assert check_in.out_of_order
    assert check_in.note.startswith("Out of order: above the check-out")
    # The flag says so; the chain keeps every reading.
    assert MeterReading.objects.filter(aircraft=aircraft).count() == 4


def test_correcting_the_meters_adds_a_correction_reading_and_is_audited(admin, fly, aircraft):
    fly(aircraft, "802.0")
    aircraft_meters_correct(actor=admin, aircraft=aircraft, hobbs=D("1500.0"), tach=D("1200.0"), reason="Tach replaced")
    reading = MeterReading.objects.filter(aircraft=aircraft).order_by("-at", "-pk").first()
    assert (reading.source, reading.tach, reading.hobbs, reading.out_of_order) == (S.CORRECTION, D("1200.0"),
                                                                                    D("1500.0"), False)
    assert "Tach replaced" in reading.note and reading.recorded_by == admin.user
    assert AuditEvent.objects.filter(action="aircraft.meters_corrected", actor=admin.user).exists()
    assert hours_at(aircraft) == D("1200.0")
