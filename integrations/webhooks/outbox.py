"""Recording what the endpoints must be told, inside the writer's transaction: one message
per (matching active endpoint, event), its body serialized now, and a kick after commit.

Nothing is sent from here (no network I/O inside a transaction, STYLE habit 4): a worker
sends after commit (`delivery`); the kick only shortens the wait, the sweep guarantees it.
"""

import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from clubs.changes import Change
from core.entry_points import system_entry_point
from integrations.webhooks.catalogue import actor_of, object_of, ordering_key, webhook_events_for
from integrations.webhooks.models import WebhookEndpoint, WebhookMessage

log = logging.getLogger(__name__)


@system_entry_point("pure: a message body")
def message_body(*, event: str, change: Change, timestamp) -> str:
    kind, pk = object_of(change)
    document = {"type": event, "timestamp": timestamp.isoformat(), "organization": change.organization.slug,
                "object": {"type": kind, "id": pk}, "actor": actor_of(change), "data": change.payload}
    # Compact and ASCII-only: the signed bytes are the same whatever a receiver's JSON tools do.
    return json.dumps(document, cls=DjangoJSONEncoder, separators=(",", ":"), sort_keys=True)


@system_entry_point("change-event subscriber, inside the writer's checked transaction")
def messages_record(change: Change) -> list[WebhookMessage]:
    events = webhook_events_for(change.event)
    endpoints = [e for e in WebhookEndpoint.objects.filter(organization=change.organization, is_active=True)
                 if any(e.wants(event) for event in events)]
    if not endpoints:
        return []
    now = timezone.now()
    kind, pk = object_of(change)
    key = ordering_key(change)
    messages = [
        WebhookMessage(endpoint=endpoint, organization=change.organization, event=event, object_type=kind,
                       object_id=str(pk), ordering_key=key, created_at=now, queued_at=now, next_attempt_at=now,
                       body=message_body(event=event, change=change, timestamp=now))
        for endpoint in endpoints for event in events if endpoint.wants(event)
    ]
    WebhookMessage.objects.bulk_create(messages)  # ids come back (PostgreSQL, SQLite >= 3.35)
    for message in messages:
        transaction.on_commit(lambda pk=message.pk: enqueue_delivery(pk))
    return messages


@system_entry_point("after commit: asks a worker to deliver a message")
def enqueue_delivery(message_id: int) -> None:
    # The one place the outbox reaches up to its Celery entry points, at call time, so
    # tasks.py (which imports the services) is the only import-time direction.
    from integrations.webhooks.tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception:  # noqa: BLE001 - any broker failure; delivery is the sweep's guarantee
        log.warning("could not kick the delivery of webhook message #%s; the sweep will send it", message_id,
                    exc_info=True)
