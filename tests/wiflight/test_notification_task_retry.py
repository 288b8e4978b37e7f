"""A notification whose processing meets a deadlock (bench/load.py saw two notifications of one
flight deadlock in PostgreSQL) is processed again by its task within seconds, not left
unprocessed until the sweep's minute."""

from django.db import OperationalError

from integrations.wiflight import flight_services, tasks


def test_a_deadlocked_processing_is_tried_again_by_the_task(monkeypatch):
    calls = []

    def process(notification_pk):
        calls.append(notification_pk)
        if len(calls) == 1:
            raise OperationalError("deadlock detected")
        return None

    monkeypatch.setattr(flight_services, "notification_process", process)
    monkeypatch.setattr(tasks.process_notification, "retry_backoff", False)  # no wait in the test
    tasks.process_notification.apply(args=[41])
    assert calls == [41, 41]


def test_it_gives_up_to_the_sweep_after_a_few_tries(monkeypatch):
    calls = []

    def process(notification_pk):
        calls.append(notification_pk)
        raise OperationalError("database is locked")

    monkeypatch.setattr(flight_services, "notification_process", process)
    monkeypatch.setattr(tasks.process_notification, "retry_backoff", False)
    result = tasks.process_notification.apply(args=[7])
    assert len(calls) == tasks.process_notification.max_retries + 1
    assert isinstance(result.result, OperationalError)  # the row stays received: the sweep's
