"""Celery entry points of the Wi-Flight integration: thin, idempotent, take ids."""

from celery import shared_task

from portal.integrations.wiflight import services


@shared_task(ignore_result=True, acks_late=True)
def sync_reservation(sync_id: int) -> None:
    """Kicked on commit of a booking change: send that reservation now if it is due."""
    services.sync_one(sync_id)


@shared_task(ignore_result=True, acks_late=True)
def drain_reservations() -> None:
    """The periodic sweep: whatever a kick missed (broker down, worker killed, backoff)."""
    services.drain()
