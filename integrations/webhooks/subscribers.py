"""What the webhooks do with the domain's change events: an outbox message per endpoint that
chose the event, in the writer's transaction (workers send after commit). Subscribing here,
to the one change path, is what keeps every write path from forgetting a webhook."""

from clubs.changes import Change, subscribe
from integrations.webhooks.catalogue import EVENTS
from integrations.webhooks.outbox import messages_record


def _record(change: Change) -> None:
    messages_record(change)


def register() -> None:
    for change_event in sorted(set(EVENTS.values())):
        subscribe(change_event, _record)
