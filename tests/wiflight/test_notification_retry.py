"""An admin's "Retry" of a notification that failed processing: only their own club's."""

import pytest
from django.urls import reverse

from core.errors import NotAllowed, NotFound
from integrations.wiflight.flight_services import notification_retry
from integrations.wiflight.models import FlightNotification
from tests.conftest import client_for

State = FlightNotification.State


def _failed(club, flight_id="77"):
    return FlightNotification.objects.create(organization=club, wiflight_flight_id=flight_id, reservation_name="r@x",
                                             body=b"<not-xml", state=State.FAILED, attempts=6, last_error="bad")


def test_admin_retry_makes_it_received_and_asks_a_worker(admin, club, django_capture_on_commit_callbacks):
    row = _failed(club)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert notification_retry(actor=admin, notification_id=row.pk) is True
    row.refresh_from_db()
    assert row.state == State.RECEIVED and row.retry_at is None
    assert len(callbacks) == 1


def test_a_processed_notification_has_nothing_to_retry(admin, club):
    row = _failed(club)
    FlightNotification.objects.filter(pk=row.pk).update(state=State.PROCESSED)
    assert notification_retry(actor=admin, notification_id=row.pk) is False
    assert FlightNotification.objects.get(pk=row.pk).state == State.PROCESSED


def test_another_clubs_notification_is_not_found(outsider, club):
    row = _failed(club)
    with pytest.raises(NotFound):
        notification_retry(actor=outsider, notification_id=row.pk)
    assert FlightNotification.objects.get(pk=row.pk).state == State.FAILED


def test_a_dispatcher_may_not_retry(dispatcher, club):
    row = _failed(club)
    with pytest.raises(NotAllowed):
        notification_retry(actor=dispatcher, notification_id=row.pk)


def test_the_page_answers_404_for_another_clubs_notification(admin, club, other_club, outsider):
    theirs = _failed(other_club, "78")
    response = client_for(admin).post(reverse("wiflight:notification_retry", args=[club.slug, theirs.pk]))
    assert response.status_code == 404
    assert FlightNotification.objects.get(pk=theirs.pk).state == State.FAILED


def test_the_page_retries_our_own(admin, club, django_capture_on_commit_callbacks):
    row = _failed(club)
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(admin).post(reverse("wiflight:notification_retry", args=[club.slug, row.pk]))
    assert response.status_code == 302
    assert FlightNotification.objects.get(pk=row.pk).state == State.RECEIVED
