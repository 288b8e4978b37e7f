"""The outbox on the operators' metrics endpoint."""

from django.test import Client

from flights.services.manual_entries import ManualEntryInput, logbook_entry_create
from tests.conftest import at


def test_metrics_show_messages_by_state_and_the_oldest_waiting(settings, hook, pilot,
                                                               django_capture_on_commit_callbacks):
    settings.METRICS_TOKEN = "metrics-token"
    with django_capture_on_commit_callbacks(execute=False):
        logbook_entry_create(actor=pilot, data=ManualEntryInput(date=at(12, 9).date(), registration="F-X",
                                                                block_minutes=30))
    body = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer metrics-token").content.decode()
    assert 'flightline_webhook_messages{state="pending"} 1' in body
    assert 'flightline_webhook_messages{state="dead"} 0' in body
    assert "flightline_webhook_oldest_undelivered_seconds " in body
