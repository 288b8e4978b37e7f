"""Two senders at once (two beat workers, or a beat overlapping a slow one) on PostgreSQL:
each reminder is emailed once. Threads have their own database connections, as processes
would."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from reminders.models import Reminder
from reminders.planner import reminders_plan
from reminders.sender import reminders_send
from tests.conftest import make_member

SENT: list[str] = []
_lock = threading.Lock()


class SlowBackend:
    """An SMTP server that takes a moment per message, so the senders overlap."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        time.sleep(0.01)
        with _lock:
            SENT.extend(m.to[0] for m in messages)
        return len(messages)


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serializes writers anyway")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("senders", [2, 4])
def test_racing_senders_send_each_reminder_once(postgres_only, club, settings, senders):
    settings.EMAIL_BACKEND = "tests.reminders.test_sender_race.SlowBackend"
    SENT.clear()
    soon = timezone.now().date() + timedelta(days=5)
    for i in range(40):
        m = make_member(club, f"racer{i:02d}", is_pilot=True)
        m.medical_expires_on = soon
        m.save()
    assert reminders_plan() == 40
    barrier = threading.Barrier(senders)

    def send(_):
        try:
            barrier.wait(timeout=30)
            return reminders_send()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=senders) as pool:
        counts = list(pool.map(send, range(senders)))

    assert sum(counts) == 40
    assert sorted(SENT) == sorted(f"racer{i:02d}@example.com" for i in range(40))
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_racing_beats_plan_each_reminder_once(postgres_only, club, settings):
    soon = timezone.now().date() + timedelta(days=5)
    for i in range(20):
        m = make_member(club, f"planner{i:02d}", is_pilot=True)
        m.licence_expires_on = soon
        m.save()
    barrier = threading.Barrier(3)

    def plan(_):
        try:
            barrier.wait(timeout=30)
            return reminders_plan()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(plan, range(3)))
    assert Reminder.objects.count() == 20
