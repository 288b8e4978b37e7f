"""reminders.planner: what is owed, to whom, and each once."""

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest

from dispatch.models import BookingCrew
from dispatch.services.bookings import BookingInput, booking_cancel, booking_update
from dispatch.services.fleet import aircraft_set_status
from reminders.models import Reminder
from reminders.planner import reminders_plan
from tests.conftest import PARIS, at

PIC, INSTRUCTOR, STUDENT, PASSENGER = (BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR, BookingCrew.Role.STUDENT,
                                       BookingCrew.Role.PASSENGER)
UTC = dt_timezone.utc
EVE = at(9, 20)  # Sunday evening: Monday 10 June 2030 is tomorrow


def _keys():
    return sorted((r.kind, r.key, r.membership.user.username) for r in Reminder.objects.select_related("membership__user"))


def test_a_booking_tomorrow_reminds_its_flying_crew_once(club, aircraft, instructor, student, pilot, book):
    booking = book(aircraft, at(10, 9), at(10, 11), [(instructor, INSTRUCTOR), (student, STUDENT), (pilot, PASSENGER)])
    assert reminders_plan(now=EVE) == 2
    key = f"booking:{booking.pk}:{booking.aircraft_id}:2030-06-10T07:00:00+00:00"
    assert _keys() == [("booking_tomorrow", key, "instructor"), ("booking_tomorrow", key, "student")]
    body = Reminder.objects.get(membership=student).body
    assert "F-GABC" in body and "09:00–11:00" in body and "Europe/Paris" in body and "Student" in body
    assert reminders_plan(now=EVE) == 0
    assert reminders_plan(now=EVE + timedelta(hours=3)) == 0  # still "tomorrow" at 23:00
    assert Reminder.objects.count() == 2


def test_tomorrow_is_the_clubs_tomorrow(club, aircraft, pilot, book):
    # 00:30 Paris on Tuesday is 22:30 UTC on Monday: from Monday 20:00 Paris it is tomorrow.
    book(aircraft, at(11, 0, 30), at(11, 1, 30), [(pilot, PIC)])
    assert reminders_plan(now=at(10, 20)) == 1
    book(aircraft, at(12, 9), at(12, 10), [(pilot, PIC)])
    assert reminders_plan(now=at(10, 20)) == 0


def test_a_booking_moved_to_another_day_gets_a_new_reminder(club, aircraft, pilot, dispatcher, book):
    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    assert reminders_plan(now=EVE) == 1
    booking_update(actor=dispatcher, booking=booking,
                   data=BookingInput(aircraft=aircraft, start=at(11, 9), end=at(11, 11), crew=[(pilot, PIC)]))
    assert reminders_plan(now=at(10, 20)) == 1
    assert [k for _, k, _ in _keys()] == [f"booking:{booking.pk}:{booking.aircraft_id}:2030-06-10T07:00:00+00:00",
                                          f"booking:{booking.pk}:{booking.aircraft_id}:2030-06-11T07:00:00+00:00"]


def test_cancelled_bookings_are_not_reminded(club, aircraft, pilot, dispatcher, book):
    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    booking_cancel(actor=dispatcher, booking=booking, reason="weather")
    assert reminders_plan(now=EVE) == 0


@pytest.mark.parametrize("change", ["opted_out", "no_email", "inactive", "service_account"])
def test_who_is_never_emailed(club, aircraft, pilot, book, change):
    book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    pilot.medical_expires_on = date(2030, 6, 20)
    if change == "opted_out":
        pilot.email_reminders = False
    elif change == "inactive":
        pilot.is_active = False
    elif change == "no_email":
        pilot.user.email = ""
    else:
        pilot.user.is_service_account = True
    pilot.save()
    pilot.user.save()
    assert reminders_plan(now=EVE) == 0


def test_documents_expiring_within_the_window_once_each(club, pilot, pilot2, settings):
    pilot.licence_expires_on = date(2030, 7, 9)        # 30 days from 9 June: in
    pilot.medical_expires_on = date(2030, 6, 9)        # today: in
    pilot.flight_review_expires_on = date(2030, 7, 10)  # 31 days: not yet
    pilot.save()
    pilot2.medical_expires_on = date(2030, 6, 8)       # already expired: not a reminder of expiring
    pilot2.save()
    assert reminders_plan(now=EVE) == 2
    assert _keys() == [("document_expiring", f"licence:{pilot.pk}:2030-07-09", "pilot"),
                       ("document_expiring", f"medical:{pilot.pk}:2030-06-09", "pilot")]
    assert reminders_plan(now=EVE) == 0
    assert reminders_plan(now=EVE + timedelta(days=1)) == 1  # the flight review comes into the window
    pilot.medical_expires_on = date(2030, 6, 25)  # renewed to a date still in the window: a new reminder
    pilot.save()
    assert reminders_plan(now=EVE + timedelta(days=1)) == 1
    assert "expires on" in Reminder.objects.filter(key__startswith="licence").get().subject


def test_an_aircraft_grounded_under_bookings_warns_their_crew_once(club, aircraft, aircraft2, pilot, pilot2, instructor,
                                                                   student, dispatcher, book):
    ahead = book(aircraft, at(12, 9), at(12, 11), [(instructor, INSTRUCTOR), (student, STUDENT)])
    book(aircraft2, at(12, 9), at(12, 11), [(pilot, PIC)])  # another aircraft: not grounded
    aircraft_set_status(actor=dispatcher, aircraft=aircraft, grounded=True, reason="Flat tyre")
    aircraft.refresh_from_db()
    now = datetime(2030, 6, 1, 12, tzinfo=PARIS)
    assert reminders_plan(now=now) == 2
    assert {r.key for r in Reminder.objects.all()} == {f"grounded:{ahead.pk}:{aircraft.grounded_at.astimezone(UTC).isoformat()}"}
    assert {r.membership for r in Reminder.objects.all()} == {instructor, student}
    assert all("Flat tyre" in r.body for r in Reminder.objects.all())
    assert reminders_plan(now=now) == 0


def test_a_past_booking_on_a_grounded_aircraft_is_not_warned(club, aircraft, pilot, dispatcher, book):
    book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    aircraft_set_status(actor=dispatcher, aircraft=aircraft, grounded=True, reason="Flat tyre")
    assert reminders_plan(now=at(10, 12)) == 0


def test_other_clubs_are_planned_in_their_own_zone(club, other_club, other_aircraft, outsider, book):
    # Other Club is on UTC: 23:30 UTC on the 10th is still the 10th there.
    utc = UTC
    booking = book(other_aircraft, datetime(2030, 6, 10, 23, 30, tzinfo=utc), datetime(2030, 6, 11, 0, 30, tzinfo=utc),
                   [(outsider, PIC)], actor=outsider)
    assert reminders_plan(now=datetime(2030, 6, 9, 22, 30, tzinfo=utc)) == 1  # 00:30 Paris on the 10th: no matter
    assert Reminder.objects.get().key == f"booking:{booking.pk}:{booking.aircraft_id}:2030-06-10T23:30:00+00:00"
    assert Reminder.objects.get().organization == other_club
