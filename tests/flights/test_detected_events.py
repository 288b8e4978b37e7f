"""The flight.detected event carries the booking the flight landed on, and a repeat report
records nothing again."""

from datetime import timedelta

import pytest

from clubs import changes
from dispatch.models import BookingCrew
from flights.services.ingest import DetectedFlight, flight_record_detected
from tests.conftest import at


@pytest.fixture
def recorded():
    seen = []

    def handler(change):
        seen.append(change)

    changes._subscribers.append(("flight.*", handler))
    yield seen
    changes._subscribers.remove(("flight.*", handler))


def _detected(start):
    return DetectedFlight(external_id="9001", tail="F-GABC", start=start, length_seconds=3600, engine_seconds=3500,
                          airtime_seconds=3000, source="notification")


def test_detected_event_names_the_booking_matched_in_the_same_report(club, aircraft, book, pilot, recorded):
    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])
    flight = flight_record_detected(organization=club, detected=_detected(at(10, 9) + timedelta(minutes=10)),
                                    booking=booking)
    assert [c.event for c in recorded] == ["flight.detected"]
    assert recorded[0].payload["booking_id"] == booking.pk == flight.booking_id


def test_a_repeat_report_records_no_event(club, aircraft, recorded):
    flight_record_detected(organization=club, detected=_detected(at(10, 9)))
    flight_record_detected(organization=club, detected=_detected(at(10, 9)))
    assert [c.event for c in recorded] == ["flight.detected"]


def test_a_later_report_that_matches_a_booking_records_the_assignment(club, aircraft, book, pilot, recorded):
    flight_record_detected(organization=club, detected=_detected(at(10, 9)))
    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])
    flight_record_detected(organization=club, detected=_detected(at(10, 9)), booking=booking)
    assert [c.event for c in recorded] == ["flight.detected", "flight.assigned"]
    assert recorded[1].payload["booking_id"] == booking.pk and recorded[1].actor is None
