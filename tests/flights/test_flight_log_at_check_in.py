"""The flight log holds every flight flown, detected or not: check-in gives the flying crew
their entries (Hobbs time, the day in club time, the registration); a flight detected for the
same booking, before or after, completes those entries: one entry per person per flight."""

from decimal import Decimal

from django.urls import reverse

from clubs.models import AuditEvent
from dispatch.models import BookingCrew
from dispatch.services.dispatching import booking_check_in, booking_check_out
from flights.models import LogbookEntry
from tests.conftest import at
from tests.flights.conftest import detect, reservation_for


def fly(booking, dispatcher, hours="1.3", out_at=None):
    aircraft = booking.aircraft
    aircraft.refresh_from_db()
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach, at=out_at)
    booking.refresh_from_db()
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=aircraft.hobbs + Decimal(hours),
                     tach_in=aircraft.tach + Decimal("1.0"))
    booking.refresh_from_db()
    return booking


def test_check_in_gives_the_flying_crew_their_entries(club, book, aircraft, dispatcher, instructor, student, pilot2):
    lesson = book(aircraft, at(10, 23), at(11, 1), [(instructor, BookingCrew.Role.INSTRUCTOR),
                                                    (student, BookingCrew.Role.STUDENT),
                                                    (pilot2, BookingCrew.Role.PASSENGER)])
    fly(lesson, dispatcher, hours="1.3", out_at=at(10, 23, 10))
    entries = {e.membership: e for e in LogbookEntry.objects.all()}
    assert set(entries) == {instructor, student}  # passengers log nothing
    e = entries[student]
    assert (e.registration, e.block_minutes, e.role) == ("F-GABC", 78, "student")
    assert e.date.isoformat() == "2030-06-10"  # 23:10 in Paris, 21:10 UTC: the club's day
    assert e.pilot_in_command == instructor.user.display_name and e.other_crew == instructor.user.display_name


def test_a_flight_detected_after_check_in_completes_the_same_entries(club, booking, dispatcher, pilot, notify_conn):
    fly(booking, dispatcher, hours="1.0")
    entry = LogbookEntry.objects.get(membership=pilot)
    flight = detect(club, "77", at(10, 9, 5), reservation_name=reservation_for(booking))
    entry.refresh_from_db()
    assert LogbookEntry.objects.count() == 1
    assert entry.flight == flight and (entry.departure, entry.arrival) == ("LFPN", "LFPN") and entry.landings == 1


def test_check_in_after_the_flight_was_detected_adds_nothing(club, booking, dispatcher, pilot, notify_conn):
    flight = detect(club, "78", at(10, 9, 5), reservation_name=reservation_for(booking))
    fly(booking, dispatcher)
    assert list(LogbookEntry.objects.values_list("flight", "membership")) == [(flight.pk, pilot.pk)]


def test_two_flights_after_check_in_make_two_entries_not_three(club, booking, dispatcher, pilot, notify_conn):
    fly(booking, dispatcher, hours="1.5")
    name = reservation_for(booking)
    detect(club, "81", at(10, 9, 5), reservation_name=name, length=1800)
    detect(club, "82", at(10, 10, 0), reservation_name=name, length=2400)
    assert LogbookEntry.objects.filter(membership=pilot).count() == 2
    assert not LogbookEntry.objects.filter(flight__isnull=True).exists()


def test_check_in_entries_pass_the_change_path(club, booking, dispatcher, pilot):
    fly(booking, dispatcher)
    audit = AuditEvent.objects.get(action="flight_log.created")
    assert audit.target_type == "booking" and audit.target_id == str(booking.pk)


def test_a_student_sees_their_lessons_on_my_bookings(club, book, aircraft, dispatcher, instructor, student, as_user):
    for day in (10, 11):
        lesson = book(aircraft, at(day, 9), at(day, 11), [(instructor, BookingCrew.Role.INSTRUCTOR),
                                                         (student, BookingCrew.Role.STUDENT)])
        fly(lesson, dispatcher)
    html = as_user(student).get(reverse("dispatch:my_bookings", args=[club.slug])).content.decode()
    assert "No flights detected yet" not in html
    assert html.count(f"/o/{club.slug}/logbook/") == 2
    assert LogbookEntry.objects.filter(membership=student).count() == 2
