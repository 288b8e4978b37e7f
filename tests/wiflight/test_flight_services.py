"""Ingest: one path for notifications and reconciliation; time matching; assignment."""

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from flights.selectors import aircraft_totals, booking_flights
from dispatch.models import BookingCrew
from flights.models import LogbookEntry
from flights.services.assignment import flight_assign
from integrations.wiflight.flight_services import booking_by_time, flight_ingest
from flights.models import Flight
from integrations.wiflight.xml import parse_flight_xml
from clubs.models import AuditEvent
from tests.conftest import at
from tests.wiflight.flight_docs import flight_element
from tests.wiflight.flight_fixtures import reservation_for


def doc(flight_id, start, length=3600, tail="F-GABC", **kw):
    raw = etree.tostring(flight_element(flight_id=flight_id, tail=tail, start=start, length=length,
                                        airtime=min(3000, length - 300), **kw))
    return parse_flight_xml(raw), raw.decode()


def ingest(club, flight_id, start, reservation_name=None, **kw):
    document, raw = doc(flight_id, start, **kw)
    return flight_ingest(organization_id=club.pk, document=document, raw=raw, reservation_name=reservation_name,
                         source=Flight.Source.RECONCILIATION)


def test_two_flights_on_one_booking_and_check_in_suggestion(club, booking, aircraft, dispatcher, pilot):
    from dispatch.services.dispatching import booking_check_in, booking_check_out

    name = reservation_for(booking)
    ingest(club, "1", at(10, 9, 5), name, length=1800)
    ingest(club, "2", at(10, 10, 0), name, length=2700)
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    booking.refresh_from_db()
    flown = booking_flights(booking)
    assert [f.wiflight_id for f in flown.flights] == ["1", "2"]
    assert str(flown.engine_hours) == "1.3" and flown.suggested_hobbs_in == aircraft.hobbs + flown.engine_hours
    assert LogbookEntry.objects.filter(membership=pilot).count() == 2
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=aircraft.hobbs + 2, tach_in=aircraft.tach + 2)
    booking.refresh_from_db()
    flown = booking_flights(booking)
    assert flown.flagged and str(flown.hobbs_difference) == "0.7"


def test_close_hobbs_is_not_flagged(club, booking, aircraft, dispatcher):
    from dispatch.services.dispatching import booking_check_in, booking_check_out

    ingest(club, "1", at(10, 9, 5), reservation_for(booking), length=3600)
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=aircraft.hobbs + 1,
                     tach_in=aircraft.tach + 1)
    booking.refresh_from_db()
    assert not booking_flights(booking).flagged


def test_time_matching_prefers_overlap_and_respects_tolerance(club, book, aircraft, pilot, pilot2):
    first = book(aircraft, at(10, 9), at(10, 10), [(pilot, BookingCrew.Role.PIC)])
    second = book(aircraft, at(10, 10), at(10, 12), [(pilot2, BookingCrew.Role.PIC)])
    assert booking_by_time(aircraft=aircraft, start=at(10, 9, 50), end=at(10, 11)) == second
    assert booking_by_time(aircraft=aircraft, start=at(10, 8, 35), end=at(10, 8, 50)) == first  # within 30 min before
    assert booking_by_time(aircraft=aircraft, start=at(10, 7), end=at(10, 8, 20)) is None


def test_reconciled_flight_gets_the_booking_by_time_and_crew_and_log(club, booking, pilot):
    flight = ingest(club, "9", at(10, 9, 10))
    assert flight.booking == booking and flight.source == "reconciliation"
    assert LogbookEntry.objects.get().membership == pilot


def test_instructor_and_student_both_log_the_flight_passengers_do_not(club, book, aircraft, instructor, student, pilot2):
    b = book(aircraft, at(11, 9), at(11, 11), [(instructor, "instructor"), (student, "student"), (pilot2, "passenger")])
    ingest(club, "3", at(11, 9, 10), reservation_for(b))
    entries = {e.membership: e for e in LogbookEntry.objects.all()}
    assert set(entries) == {instructor, student}
    assert entries[student].pilot_in_command == instructor.user.display_name
    assert entries[student].other_crew == instructor.user.display_name


def test_repeated_ingest_changes_nothing(club, booking):
    name = reservation_for(booking)
    for _ in range(3):
        ingest(club, "5", at(10, 9, 10), name)
    assert Flight.objects.count() == 1 and LogbookEntry.objects.count() == 1
    assert Flight.objects.get().events.count() == 4


def test_unknown_crew_usernames_are_kept_without_a_membership(club, aircraft):
    flight = ingest(club, "6", at(12, 9), "gone@tac.example.com", crew=["ghost@elsewhere"])
    assert list(flight.crew.values_list("wiflight_username", "membership")) == [("ghost@elsewhere", None)]


def test_aircraft_totals_count_every_flight(club, aircraft, aircraft2):
    ingest(club, "1", at(12, 9), length=3600)
    ingest(club, "2", at(12, 12), length=1800)
    ingest(club, "3", at(12, 9), tail="F-GXYZ", length=600)
    totals = aircraft_totals(club)
    assert totals[aircraft.pk].flights == 2 and totals[aircraft.pk].engine_hours == 1.5
    assert totals[aircraft2.pk].flights == 1


def test_admin_assigns_an_unmatched_flight(club, booking, pilot, admin):
    flight = ingest(club, "8", at(10, 9, 10), "deleted@tac.example.com")
    assert flight.needs_assignment
    flight_assign(flight=flight, booking=booking, actor=admin)
    flight.refresh_from_db()
    assert flight.booking == booking and not flight.needs_assignment
    assert LogbookEntry.objects.get().membership == pilot
    assert AuditEvent.objects.filter(action="wiflight.flight_assigned").exists()
    with pytest.raises(ValidationError):
        flight_assign(flight=flight, booking=booking, actor=admin)


def test_assigning_a_booking_of_another_aircraft_is_refused(club, book, aircraft2, pilot, admin):
    other = book(aircraft2, at(10, 9), at(10, 11), [(pilot, "pic")])
    flight = ingest(club, "8", at(10, 9, 10), "deleted@tac.example.com")
    with pytest.raises(ValidationError):
        flight_assign(flight=flight, booking=other, actor=admin)
