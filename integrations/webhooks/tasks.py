"""Celery entry points of the webhooks: thin, idempotent, take ids.

Imports go one way: tasks import the services; the outbox imports the task at call time
(`outbox.enqueue_delivery`)."""

from celery import shared_task

from integrations.webhooks import delivery


@shared_task(ignore_result=True, acks_late=True)
def deliver_message(message_id: int) -> None:
    """Kicked on commit of a new (or re-queued) message: send it now if it is its turn."""
    delivery.deliver_one(message_id)


@shared_task(ignore_result=True, acks_late=True)
def drain_webhooks() -> None:
    """The periodic sweep: retries that are due, and whatever a kick missed."""
    delivery.drain()


@shared_task(ignore_result=True)
def prune_webhook_log() -> None:
    """Hourly: the delivery log keeps WEBHOOK_LOG_RETENTION_DAYS."""
    while delivery.messages_prune():
        pass
