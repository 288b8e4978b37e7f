"""What the review of issue 14 found in the reminders, each a test that failed first: a
booking given to someone else, or moved to another aircraft, still sent the old email."""

from datetime import datetime, time, timedelta

from django.core import mail
from django.utils import timezone

from dispatch.models import BookingCrew
from dispatch.services.bookings import BookingInput, booking_update
from reminders.models import Reminder
from reminders.planner import reminders_plan
from reminders.sender import reminders_send
from tests.conftest import PARIS

PIC = BookingCrew.Role.PIC


def _tomorrow_at(hour: int) -> datetime:
    day = timezone.now().astimezone(PARIS).date() + timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def test_a_booking_given_to_another_pilot_on_another_aircraft_is_not_sent_the_old_way(
        settings, book, aircraft, aircraft2, pilot, pilot2, dispatcher):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    start = _tomorrow_at(10)
    booking = book(aircraft, start, start + timedelta(hours=1), [(pilot, PIC)])
    reminders_plan()
    booking_update(actor=dispatcher, booking=booking, data=BookingInput(
        aircraft=aircraft2, start=booking.start, end=booking.end, crew=[(pilot2, PIC)]))
    reminders_send()
    assert not [m for m in mail.outbox if pilot.user.email in m.to]
    assert Reminder.objects.get(membership=pilot).status == "failed"
    reminders_plan()
    reminders_send()
    sent = [m for m in mail.outbox if pilot2.user.email in m.to]
    assert len(sent) == 1 and aircraft2.registration in sent[0].subject


def test_a_reminder_for_a_booking_already_begun_is_not_sent(settings, book, aircraft, pilot):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    start = _tomorrow_at(10)
    book(aircraft, start, start + timedelta(hours=1), [(pilot, PIC)])
    reminders_plan()
    assert reminders_send(now=start + timedelta(minutes=5)) == 0
    assert not mail.outbox
