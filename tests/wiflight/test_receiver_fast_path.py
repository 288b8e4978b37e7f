"""The receiver's request path stays small: one connection lookup and one INSERT per
notification, nothing more for a duplicate, and the processing kick handed to a background
publisher that loses nothing (the sweep covers a kick the broker refused)."""

import queue
import threading
import time
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from flights.models import Flight
from integrations.wiflight import flight_services, tasks
from integrations.wiflight.models import FlightNotification
from tests.wiflight.flight_docs import basic, notification_body
from tests.wiflight.flight_fixtures import NOTIFY_USER, SECRET, notify_conn, reservation_for  # noqa: F401 - fixtures

URL = "/wiflight/notify/tac/"
START = datetime(2030, 6, 10, 7, 5, tzinfo=timezone.utc)


def post(body: bytes):
    return Client().post(URL, data=body, content_type="application/xml", HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))


def body_for(name, flight_id=101):
    return notification_body(reservation_name=name, flight_id=flight_id, tail="F-GABC", start=START,
                             crew=["pilot@tac.example.com"])


@pytest.fixture
def name(notify_conn, booking):
    return reservation_for(booking)


def statements(queries) -> list[str]:
    return [q["sql"].split()[0].upper() for q in queries
            if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"))]


def test_a_notification_costs_one_lookup_and_one_insert(name):
    with CaptureQueriesContext(connection) as queries:
        response = post(body_for(name))
    assert response.status_code == 200 and response.content == b"Stored.\n"
    assert statements(queries.captured_queries) == ["SELECT", "INSERT"]


def test_a_duplicate_costs_the_same_and_stays_one_row(name):
    assert post(body_for(name)).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = post(body_for(name))
    assert response.status_code == 200 and response.content == b"Already received.\n"
    assert statements(queries.captured_queries) == ["SELECT", "INSERT"]
    assert FlightNotification.objects.count() == 1


def test_an_unknown_club_is_one_lookup_and_401(db):
    with CaptureQueriesContext(connection) as queries:
        response = Client().post("/wiflight/notify/nowhere/", data=b"<notification/>", content_type="application/xml",
                                 HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    assert response.status_code == 401
    assert statements(queries.captured_queries) == ["SELECT"]


class NotEagerTask:
    """The task as a production web process sees it (Celery not eager); only the broker
    transport is replaced: `delay` records the kick, or fails like a broker that is down."""

    app = SimpleNamespace(conf=SimpleNamespace(task_always_eager=False))

    def __init__(self, broker_down=False):
        self.published, self.broker_down = [], broker_down

    def delay(self, *notification_pks):
        if self.broker_down:
            raise ConnectionError("broker down")
        self.published.extend(notification_pks)

    def starmap(self, items):
        return SimpleNamespace(delay=lambda: self.delay(*(pk for (pk,) in items)))


@pytest.fixture
def background_kicks(monkeypatch):
    task = NotEagerTask()
    monkeypatch.setattr(tasks, "process_notification", task)
    return task.published


def test_the_kick_is_published_in_the_background_once_per_stored_notification(
        name, background_kicks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert post(body_for(name)).status_code == 200
        assert post(body_for(name)).status_code == 200  # the duplicate kicks nothing
        assert post(body_for(name, flight_id=102)).status_code == 200
    flight_services._kicks_drain()
    stored = list(FlightNotification.objects.order_by("pk").values_list("pk", flat=True))
    assert background_kicks == stored and len(stored) == 2


def test_a_kick_the_broker_refuses_is_processed_by_the_sweep(name, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(tasks, "process_notification", NotEagerTask(broker_down=True))
    with django_capture_on_commit_callbacks(execute=True):
        assert post(body_for(name)).status_code == 200
    flight_services._kicks_drain()
    assert FlightNotification.objects.get().state == "received"
    monkeypatch.undo()
    assert flight_services.notifications_sweep(older_than_seconds=0) == 1
    assert FlightNotification.objects.get().state == "processed" and Flight.objects.count() == 1


def test_a_burst_of_kicks_is_one_message_a_worker_runs_for_each(name, monkeypatch):
    for flight_id in (101, 102, 103):
        assert post(body_for(name, flight_id=flight_id)).status_code == 200
    stored = list(FlightNotification.objects.order_by("pk").values_list("pk", flat=True))
    # The message the background publisher sends for a burst, run by Celery itself (eager).
    tasks.process_notification.starmap([(pk,) for pk in stored]).apply()
    assert set(FlightNotification.objects.values_list("state", flat=True)) == {"processed"}
    assert Flight.objects.count() == 3


def test_the_publisher_sends_a_burst_as_one_starmap(monkeypatch):
    sent = []
    task = NotEagerTask()
    task.starmap = lambda items: SimpleNamespace(delay=lambda: sent.append([pk for (pk,) in items]))
    monkeypatch.setattr(tasks, "process_notification", task)
    flight_services._kick_publish(7)
    flight_services._kick_publish(8, 9, 10)
    assert task.published == [7] and sent == [[8, 9, 10]]


def test_kicks_arriving_within_the_linger_go_out_as_one_message(monkeypatch, settings):
    """Under load one publish serves many notifications: the publisher waits up to
    WIFLIGHT_NOTIFY_KICK_LINGER after the first kick for more (here until a batch is full)."""
    published, sent = [], threading.Event()

    def publish(*pks):
        published.append(pks)
        sent.set()

    settings.WIFLIGHT_NOTIFY_KICK_LINGER = 30
    monkeypatch.setattr(flight_services, "KICK_BATCH", 3)
    monkeypatch.setattr(flight_services, "_kick_publish", publish)
    kicks = queue.Queue()
    threading.Thread(target=flight_services._kick_loop, args=(kicks,), daemon=True).start()
    for pk in (11, 12, 13):
        kicks.put(pk)
        time.sleep(0.2)  # each well after the one before: without the linger, three messages
    assert sent.wait(10)
    kicks.join()
    assert published == [(11, 12, 13)]


def test_with_no_linger_a_lone_kick_goes_out_at_once(monkeypatch, settings):
    published = queue.Queue()
    settings.WIFLIGHT_NOTIFY_KICK_LINGER = 0
    monkeypatch.setattr(flight_services, "_kick_publish", lambda *pks: published.put(pks))
    kicks = queue.Queue()
    threading.Thread(target=flight_services._kick_loop, args=(kicks,), daemon=True).start()
    kicks.put(21)
    assert published.get(timeout=10) == (21,)
