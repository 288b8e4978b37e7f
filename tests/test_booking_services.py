from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services.bookings import BookingInput, booking_cancel, booking_update
from dispatch.services.fleet import aircraft_set_status
from clubs.models import AuditEvent
from tests.conftest import at

PIC, INSTR, STUDENT, PAX = (BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR,
                            BookingCrew.Role.STUDENT, BookingCrew.Role.PASSENGER)


def test_create_stores_utc_crew_and_audit(book, aircraft, pilot, club):
    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    booking.refresh_from_db()
    assert booking.start == at(10, 9) and booking.start.utcoffset() == timedelta(0)
    assert [(c.membership, c.role) for c in booking.crew.all()] == [(pilot, PIC)]
    assert booking.status == Booking.Status.BOOKED
    assert AuditEvent.objects.filter(organization=club, action="booking.created", target_id=str(booking.pk)).exists()


def test_overlap_on_same_aircraft_is_refused_with_the_conflict_named(book, aircraft, pilot, pilot2):
    book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    with pytest.raises(ValidationError, match=r"F-GABC is already booked Mon 10 Jun 09:00–11:00"):
        book(aircraft, at(10, 10), at(10, 12), [(pilot2, PIC)])
    assert Booking.objects.count() == 1


def test_back_to_back_is_fine(book, aircraft, pilot, pilot2):
    book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    book(aircraft, at(10, 11), at(10, 13), [(pilot2, PIC)])
    assert Booking.objects.count() == 2


def test_cancelled_booking_frees_the_slot(book, aircraft, pilot, pilot2, dispatcher):
    first = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    booking_cancel(actor=dispatcher, booking=first)
    book(aircraft, at(10, 9), at(10, 11), [(pilot2, PIC)])
    assert Booking.objects.exclude(status="cancelled").count() == 1


def test_crew_member_cannot_be_in_two_overlapping_bookings(book, aircraft, aircraft2, pilot):
    book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    with pytest.raises(ValidationError, match="Pilot is already booked on F-GABC"):
        book(aircraft2, at(10, 10), at(10, 12), [(pilot, PIC)])


def test_end_must_follow_start(book, aircraft, pilot):
    with pytest.raises(ValidationError, match="end must be after the start"):
        book(aircraft, at(10, 11), at(10, 11), [(pilot, PIC)])


def test_grounded_aircraft_refused_with_reason(book, aircraft, pilot, mechanic):
    aircraft_set_status(actor=mechanic, aircraft=aircraft, grounded=True, reason="Oil leak")
    with pytest.raises(ValidationError, match="F-GABC is grounded: Oil leak"):
        book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])


def test_grounding_keeps_existing_bookings(book, aircraft, pilot, mechanic):
    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    aircraft_set_status(actor=mechanic, aircraft=aircraft, grounded=True, reason="Oil leak")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_inactive_member_cannot_be_booked(book, aircraft, pilot):
    pilot.is_active = False
    pilot.save()
    with pytest.raises(ValidationError, match="not an active member"):
        book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])


def test_one_pic_and_no_duplicates(book, aircraft, pilot, pilot2):
    with pytest.raises(ValidationError, match="one pilot in command"):
        book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC), (pilot2, PIC)])
    with pytest.raises(ValidationError, match="appears twice"):
        book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC), (pilot, PAX)])


def test_pilot_books_only_themselves(book, aircraft, pilot, pilot2):
    with pytest.raises(ValidationError, match="only book flights you are on"):
        book(aircraft, at(10, 9), at(10, 11), [(pilot2, PIC)], actor=pilot)
    with pytest.raises(ValidationError, match="only for yourself"):
        book(aircraft, at(10, 9), at(10, 11), [(pilot, PAX), (pilot2, PIC)], actor=pilot)
    assert book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC), (pilot2, PAX)], actor=pilot)


def test_instructor_books_their_students_not_others(book, aircraft, instructor, student, pilot):
    assert book(aircraft, at(10, 9), at(10, 11), [(instructor, INSTR), (student, STUDENT)], actor=instructor)
    with pytest.raises(ValidationError, match="yourself and your students"):
        book(aircraft, at(10, 12), at(10, 13), [(instructor, INSTR), (pilot, STUDENT)], actor=instructor)


def test_maintenance_cannot_book(book, aircraft, mechanic):
    with pytest.raises(ValidationError, match="does not allow booking"):
        book(aircraft, at(10, 9), at(10, 11), [(mechanic, PIC)], actor=mechanic)


def test_objects_of_another_club_are_refused(book, other_aircraft, pilot, outsider, aircraft):
    with pytest.raises(ValidationError, match="Unknown aircraft"):
        book(other_aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    with pytest.raises(ValidationError, match="Unknown crew member"):
        book(aircraft, at(10, 9), at(10, 11), [(outsider, PIC)])


def test_update_moves_booking_and_checks_conflicts_excluding_itself(book, aircraft, pilot, pilot2, dispatcher):
    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    other = book(aircraft, at(10, 13), at(10, 15), [(pilot2, PIC)])
    moved = booking_update(actor=dispatcher, booking=booking, data=BookingInput(
        aircraft=aircraft, start=at(10, 10), end=at(10, 12), crew=[(pilot, PIC)]))
    assert moved.start == at(10, 10)
    with pytest.raises(ValidationError, match="already booked"):
        booking_update(actor=dispatcher, booking=booking, data=BookingInput(
            aircraft=aircraft, start=at(10, 12), end=at(10, 14), crew=[(pilot, PIC)]))
    assert other.crew.get().membership == pilot2


def test_pilot_cannot_change_someone_elses_booking(book, aircraft, pilot, pilot2):
    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot2, PIC)])
    with pytest.raises(ValidationError, match="cannot change"):
        booking_update(actor=pilot, booking=booking, data=BookingInput(
            aircraft=aircraft, start=at(10, 9), end=at(10, 10), crew=[(pilot, PIC)]))
    with pytest.raises(ValidationError, match="cannot cancel"):
        booking_cancel(actor=pilot, booking=booking)


def test_moving_to_grounded_aircraft_refused(book, aircraft, aircraft2, pilot, dispatcher, mechanic):
    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    aircraft_set_status(actor=mechanic, aircraft=aircraft2, grounded=True, reason="Prop strike")
    with pytest.raises(ValidationError, match="F-GXYZ is grounded: Prop strike"):
        booking_update(actor=dispatcher, booking=booking, data=BookingInput(
            aircraft=Aircraft.objects.get(pk=aircraft2.pk), start=at(10, 9), end=at(10, 11), crew=[(pilot, PIC)]))


def test_cancel_twice_is_refused(booking, dispatcher):
    booking_cancel(actor=dispatcher, booking=booking)
    with pytest.raises(ValidationError, match="cancelled booking cannot be cancelled"):
        booking_cancel(actor=dispatcher, booking=booking)


def test_a_booking_lasts_at_most_31_days(book, aircraft, pilot):
    with pytest.raises(ValidationError, match="at most 31 days"):
        book(aircraft, at(1, 9), at(1, 9) + timedelta(days=31, minutes=1), [(pilot, PIC)])
    assert book(aircraft, at(1, 9), at(1, 9) + timedelta(days=31), [(pilot, PIC)])


def test_student_books_a_lesson_with_their_own_instructor(book, aircraft, instructor, student):
    assert book(aircraft, at(10, 9), at(10, 11), [(instructor, INSTR), (student, STUDENT)], actor=student)


def test_instructor_cannot_cancel_a_flight_their_student_only_rides_on(book, aircraft, instructor, student, pilot):
    from dispatch.policy import may_change_booking as actor_may_change

    ride = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC), (student, PAX)])
    lesson = book(aircraft, at(10, 12), at(10, 13), [(student, PIC)])
    assert not actor_may_change(instructor, ride)
    assert actor_may_change(instructor, lesson)
