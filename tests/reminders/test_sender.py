"""reminders.sender and the beat task: each reminder emailed once, whatever happens."""

import importlib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from dispatch.models import BookingCrew
from reminders.models import Reminder
from reminders.planner import reminders_plan
from reminders.sender import MAX_ATTEMPTS, STUCK_AFTER, _retry_after as retry_after, reminders_send
from reminders.tasks import remind_all

FAILING = "tests.reminders.conftest.FailingBackend"
PIC = BookingCrew.Role.PIC


@pytest.fixture
def owed(club, aircraft, pilot, pilot2, book, tomorrow_at):
    """Real time: a booking tomorrow for pilot, a medical expiring for pilot2."""
    booking = book(aircraft, tomorrow_at(10), tomorrow_at(12), [(pilot, PIC)])
    pilot2.medical_expires_on = timezone.now().date() + timedelta(days=10)
    pilot2.save()
    return booking


def _restart():
    """A new worker process: fresh planner and sender modules, only the database remembers.
    Returns what the beat task runs, from those fresh modules."""
    planner = importlib.reload(importlib.import_module("reminders.planner"))
    sender = importlib.reload(importlib.import_module("reminders.sender"))
    return lambda: {"planned": planner.reminders_plan(), "sent": sender.reminders_send()}


def test_the_beat_twice_sends_each_once(owed, pilot, pilot2):
    assert remind_all() == {"planned": 2, "sent": 2}
    assert _restart()() == {"planned": 0, "sent": 0}
    assert sorted(m.to[0] for m in mail.outbox) == ["pilot2@example.com", "pilot@example.com"]
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "Tomorrow: F-GABC at 10:00" == by_to["pilot@example.com"].subject
    assert "medical certificate" in by_to["pilot2@example.com"].body
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failing_backend_leaves_it_pending_and_a_later_run_sends_it_once(owed, settings):
    settings.EMAIL_BACKEND = FAILING
    assert remind_all() == {"planned": 2, "sent": 0}
    assert mail.outbox == []
    rows = list(Reminder.objects.all())
    assert {(r.status, r.attempts) for r in rows} == {("pending", 1)}
    assert all("SMTP server down" in r.last_error for r in rows)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Before the backoff has passed, nothing is tried again.
    assert reminders_send() == 0
    later = timezone.now() + retry_after(1)
    assert reminders_send(now=later) == 2
    assert reminders_send(now=later + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 2
    assert {(r.status, r.attempts, r.last_error) for r in Reminder.objects.all()} == {("sent", 2, "")}


def test_after_five_failures_it_is_failed(owed, settings):
    settings.EMAIL_BACKEND = FAILING
    now = timezone.now()
    reminders_plan(now=now)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        reminders_send(now=now)
        now += retry_after(attempt)
    assert {(r.status, r.attempts) for r in Reminder.objects.all()} == {("failed", MAX_ATTEMPTS)}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders_send(now=now + timedelta(days=1)) == 0
    assert mail.outbox == []


def test_one_stuck_in_sending_is_failed_not_resent(owed):
    reminders_plan()
    stuck = Reminder.objects.first()
    Reminder.objects.filter(pk=stuck.pk).update(status="sending", attempts=1,
                                                claimed_at=timezone.now() - STUCK_AFTER - timedelta(seconds=1))
    assert reminders_send() == 1  # the other one
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "not sent again" in stuck.last_error
    assert len(mail.outbox) == 1 and mail.outbox[0].to != [stuck.membership.user.email]


def test_one_claimed_recently_by_another_sender_is_left_alone(owed):
    reminders_plan()
    busy = Reminder.objects.first()
    Reminder.objects.filter(pk=busy.pk).update(status="sending", attempts=1, claimed_at=timezone.now())
    assert reminders_send() == 1
    busy.refresh_from_db()
    assert busy.status == "sending"


def test_opting_out_after_planning_is_respected(owed, pilot):
    reminders_plan()
    pilot.email_reminders = False
    pilot.save()
    assert reminders_send() == 1
    assert [m.to for m in mail.outbox] == [["pilot2@example.com"]]
    assert Reminder.objects.get(membership=pilot).status == "failed"


def test_opted_out_members_are_not_planned(owed, pilot, pilot2):
    pilot.email_reminders = False
    pilot.save()
    pilot2.email_reminders = False
    pilot2.save()
    assert remind_all() == {"planned": 0, "sent": 0}
    assert mail.outbox == []


def test_the_document_reminder_names_the_date(club, pilot):
    pilot.licence_expires_on = date.today() + timedelta(days=3)
    pilot.save()
    remind_all()
    assert mail.outbox[0].subject.startswith("Your licence expires on")


def test_a_booking_cancelled_after_planning_is_not_reminded(owed, pilot, dispatcher):
    from dispatch.services.bookings import booking_cancel

    reminders_plan()
    booking_cancel(actor=dispatcher, booking=owed, reason="weather")
    assert reminders_send() == 1
    assert [m.to for m in mail.outbox] == [["pilot2@example.com"]]
    assert "booking changed" in Reminder.objects.get(membership=pilot).last_error


def test_an_aircraft_released_before_the_warning_went_is_not_warned(owed, aircraft, pilot, dispatcher, pilot2):
    from dispatch.services.fleet import aircraft_set_status

    pilot2.medical_expires_on = None
    pilot2.save()
    aircraft_set_status(actor=dispatcher, aircraft=aircraft, grounded=True, reason="Flat tyre")
    reminders_plan()
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"booking_tomorrow", "aircraft_grounded"}
    aircraft_set_status(actor=dispatcher, aircraft=aircraft, grounded=False)
    assert reminders_send() == 1
    assert [m.subject for m in mail.outbox] == ["Tomorrow: F-GABC at 10:00"]
