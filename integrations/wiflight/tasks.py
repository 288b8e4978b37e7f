"""Celery entry points of the Wi-Flight integration: thin, idempotent, take ids.

Imports go one way: tasks import the services; a service that enqueues a task imports it at
call time (`sync_marking.enqueue_send`, and flight_services' kicks)."""

from celery import shared_task
from django.db import OperationalError

from integrations.wiflight import flight_services, reconciliation, sync_sending


@shared_task(ignore_result=True, acks_late=True)
def sync_reservation(sync_id: int) -> None:
    """Kicked on commit of a booking change: send what is due now, that reservation among it."""
    sync_sending.sync_one(sync_id)


@shared_task(ignore_result=True, acks_late=True)
def drain_reservations() -> None:
    """The periodic sweep: whatever a kick missed (broker down, worker killed, backoff)."""
    sync_sending.drain()


@shared_task(ignore_result=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=2,
             retry_backoff_max=30, max_retries=5)
def process_notification(notification_id: int) -> None:
    """Kicked on commit of a stored notification: ingest its flight (idempotent). A deadlock
    or a locked database (two notifications of one flight at once) is tried again in seconds
    rather than left for the sweep's minute."""
    flight_services.notification_process(notification_id)


@shared_task(ignore_result=True, acks_late=True)
def sweep_notifications() -> None:
    """Notifications whose kick was lost (broker down, worker killed)."""
    flight_services.notifications_sweep()


@shared_task(ignore_result=True, acks_late=True)
def reconcile_club(connection_id: int) -> None:
    reconciliation.reconcile_club(connection_id=connection_id)


@shared_task(ignore_result=True)
def reconcile_all() -> None:
    """The beat entry: one reconciliation task per club that is due."""
    for connection_id in reconciliation.connections_to_reconcile():
        reconcile_club.delay(connection_id)


@shared_task(ignore_result=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=30,
             retry_backoff_max=1800, max_retries=8)
def fetch_track(flight_id: int) -> None:
    """Fetch a flight's GPS track once, for its page and KML (retried with backoff)."""
    flight_services.flight_track_fetch(flight_id=flight_id)
