"""Delivering the outbox: claim due messages with a lease, sign and send outside any
transaction, record the result only if the lease is still ours.

Guarantees and why:
- Never sent by two workers at once: a message is sent only by the worker holding its lease
  (claimed by a conditional UPDATE, or SKIP LOCKED on PostgreSQL), renewed before each send of
  a batch; results are recorded only under our lease. A worker killed mid-send leaves a lease
  that expires and the message is sent again, under the same `webhook-id`: delivery is at
  least once, and receivers de-duplicate on that id (docs/webhooks.md).
- In order per object: only the oldest undelivered message of an (endpoint, ordering key)
  can be claimed, so a newer one waits while an older one is pending, being sent or backing
  off; given up ("dead") no longer holds the others back. For one object the ids are the
  commit order, because each writer holds the object's row lock when its subscriber inserts.
- A receiver that is down gets everything afterwards: failures back off exponentially with
  full jitter and give up after WEBHOOK_GIVE_UP_SECONDS; the sweep retries what is due.
"""

import logging
import os
import random
import socket
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection as db_connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from clubs.audit import audit_record
from clubs.models import Membership
from clubs.policy import require_capability
from core.entry_points import system_entry_point
from core.errors import NotFound
from integrations.webhooks.client import Attempt, post_signed
from integrations.webhooks.models import WebhookEndpoint, WebhookMessage
from integrations.webhooks.outbox import enqueue_delivery
from integrations.webhooks.signing import signed_headers

log = logging.getLogger(__name__)
State = WebhookMessage.State
ONLY_ADMINS = "Only club admins manage webhooks."


@system_entry_point("pure: a worker's lease owner name")
def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _older_undelivered():
    return WebhookMessage.objects.filter(endpoint_id=OuterRef("endpoint_id"), ordering_key=OuterRef("ordering_key"),
                                         pk__lt=OuterRef("pk"), state__in=WebhookMessage.UNDELIVERED)


def _due(now) -> Q:
    return (Q(state__in=WebhookMessage.UNDELIVERED, next_attempt_at__lte=now, endpoint__is_active=True)
            & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            & ~Exists(_older_undelivered()))


def _lease(owner: str, now) -> dict:
    return {"lease_owner": owner, "lease_until": now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)}


@system_entry_point("workers: claim due messages")
def claim_due(*, owner: str, limit: int, ids: list[int] | None = None) -> list[WebhookMessage]:
    now = timezone.now()
    due = WebhookMessage.objects.filter(_due(now))
    if ids is not None:
        due = due.filter(pk__in=ids)
    if db_connection.vendor == "postgresql":
        # SKIP LOCKED: concurrent workers each take a different batch without waiting.
        with transaction.atomic():
            picked = list(due.select_for_update(skip_locked=True, of=("self",))
                          .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
            WebhookMessage.objects.filter(pk__in=picked).update(**_lease(owner, now))
    else:
        picked = []
        for pk in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[: limit * 2]:
            # The conditional UPDATE is the claim: only one worker's UPDATE matches.
            if WebhookMessage.objects.filter(_due(now), pk=pk).update(**_lease(owner, now)):
                picked.append(pk)
            if len(picked) >= limit:
                break
    return list(WebhookMessage.objects.filter(pk__in=picked, lease_owner=owner).select_related("endpoint")
                .order_by("pk"))


@system_entry_point("workers: send one claimed message")
def message_send(message: WebhookMessage, owner: str) -> str:
    """Sign and send one claimed message, outside any transaction; returns its new state."""
    endpoint = message.endpoint
    try:
        secrets_ = endpoint.signing_secrets(timezone.now())
    except ValueError:  # FIELD_ENCRYPTION_KEYS or SECRET_KEY changed without keeping the old key
        return _record(message, owner, Attempt(None, 0, error="The signing secret cannot be decrypted "
                                                             "(was SECRET_KEY or FIELD_ENCRYPTION_KEYS changed?)."))
    body = message.body.encode()
    # The receiver checks the timestamp against its own clock (5 minutes either way in the
    # standard's libraries): the wall clock, fresh for every attempt, with a fresh signature.
    headers = signed_headers(secrets_, msg_id=message.msg_id, timestamp=int(time.time()), body=body)
    try:
        attempt = post_signed(endpoint.url, body=body, headers=headers)
    except Exception:  # noqa: BLE001 - recorded and retried like an outage, not a lease left to expire
        log.exception("webhook message %s failed unexpectedly", message.msg_id)
        attempt = Attempt(None, 0, error="The request failed unexpectedly (see the worker's log).")
    return _record(message, owner, attempt)


@system_entry_point("pure: the retry schedule")
def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter, capped; never sooner than Retry-After asks."""
    ceiling = min(settings.WEBHOOK_BACKOFF_CAP, settings.WEBHOOK_BACKOFF_BASE * 2 ** min(attempts, 30))
    delay = random.uniform(0, ceiling)
    if retry_after:
        delay = max(delay, min(retry_after, settings.WEBHOOK_BACKOFF_CAP))
    return delay


def _record(message: WebhookMessage, owner: str, attempt: Attempt) -> str:
    now = timezone.now()
    attempts = message.attempts + 1
    fields = {"attempts": attempts, "last_attempt_at": now, "last_status_code": attempt.status,
              "last_duration_ms": attempt.duration_ms, "last_error": attempt.error[:300],
              "response_excerpt": attempt.excerpt[:200], "lease_owner": "", "lease_until": None}
    if attempt.delivered:
        state = State.DELIVERED
        fields.update(delivered_at=now, next_attempt_at=now)
    elif attempt.gone or now - message.queued_at > timedelta(seconds=settings.WEBHOOK_GIVE_UP_SECONDS):
        state = State.DEAD
        fields.update(next_attempt_at=now)
    else:
        state = State.FAILED
        fields.update(next_attempt_at=now + timedelta(seconds=backoff_seconds(attempts, attempt.retry_after)))
    with transaction.atomic():
        recorded = WebhookMessage.objects.filter(pk=message.pk, lease_owner=owner).update(state=state, **fields)
        if recorded and attempt.gone:
            _disable_gone(message.endpoint, now)
    if not recorded:
        log.info("webhook message %s: our lease ran out while sending; its new owner records it", message.msg_id)
    elif state != State.DELIVERED:
        log.info("webhook message %s to endpoint #%s %s: %s", message.msg_id, message.endpoint_id, state, attempt.error)
    return state


def _disable_gone(endpoint: WebhookEndpoint, now) -> None:
    """410 Gone: the receiver asks us to stop. Switched off, and its page says why."""
    reason = f"The receiver answered 410 Gone on {now:%Y-%m-%d %H:%M} UTC: switched off. Switch it on again to resume."
    if WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
            is_active=False, disabled_reason=reason, disabled_at=now, updated_at=now):
        audit_record(organization=endpoint.organization, actor=None, action="webhook.endpoint_disabled",
                     target=endpoint, summary=f"Webhook endpoint {endpoint} answered 410 Gone and was switched off")


def _renew_lease(message: WebhookMessage, owner: str) -> bool:
    """A batch is sent one message after another: without renewing, the lease of one late
    in the batch could run out while earlier ones are sent (slow receivers), and another
    worker would send it at the same time. False if another worker has it now."""
    until = timezone.now() + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    return bool(WebhookMessage.objects.filter(pk=message.pk, lease_owner=owner).update(lease_until=until))


@system_entry_point("workers: the sweep")
def drain(*, batch: int = 20, time_budget: float | None = None) -> int:
    """Send due messages until none is left or the time budget is spent; returns how many."""
    owner, sent, started = new_owner(), 0, time.monotonic()
    budget = settings.WEBHOOK_DRAIN_SECONDS if time_budget is None else time_budget
    while time.monotonic() - started < budget:
        claimed = claim_due(owner=owner, limit=batch)
        if not claimed:
            break
        for message in claimed:
            if time.monotonic() - started >= budget:  # slow receivers: hand the rest back now
                WebhookMessage.objects.filter(pk=message.pk, lease_owner=owner).update(lease_owner="", lease_until=None)
            elif _renew_lease(message, owner):
                message_send(message, owner)
                sent += 1
    return sent


def _next_of_key(message: WebhookMessage) -> int | None:
    return (WebhookMessage.objects.filter(endpoint_id=message.endpoint_id, ordering_key=message.ordering_key,
                                          pk__gt=message.pk, state__in=WebhookMessage.UNDELIVERED)
            .order_by("pk").values_list("pk", flat=True).first())


@system_entry_point("workers: deliver one message, then those of its object it held back")
def deliver_one(message_id: int, *, max_sends: int = 10) -> str | None:
    """The kick of a new message. When it goes out, the next message of the same object
    (whose own kick found it waiting behind this one) follows at once, not at the sweep."""
    owner, state, next_id = new_owner(), None, message_id
    for _ in range(max_sends):
        claimed = claim_due(owner=owner, limit=1, ids=[next_id])
        if not claimed:
            break
        state = message_send(claimed[0], owner)
        next_id = _next_of_key(claimed[0]) if state in (State.DELIVERED, State.DEAD) else None
        if next_id is None:
            break
    return state


@system_entry_point("workers: the delivery log's retention")
def messages_prune(*, batch: int = 1000) -> int:
    """Forget delivered and dead messages last tried more than WEBHOOK_LOG_RETENTION_DAYS ago
    (the delivery log shows them until then). Undelivered ones are never pruned."""
    cutoff = timezone.now() - timedelta(days=settings.WEBHOOK_LOG_RETENTION_DAYS)
    old = list(WebhookMessage.objects.filter(state__in=[State.DELIVERED, State.DEAD], last_attempt_at__lt=cutoff)
               .values_list("pk", flat=True)[:batch])
    return WebhookMessage.objects.filter(pk__in=old).delete()[0] if old else 0


def message_resend(*, actor: Membership, message_id: int) -> bool:
    """"Send again" from the delivery log: a delivered or dead message is queued once more,
    under the same webhook-id, with a fresh give-up clock. False if it is still queued."""
    require_capability(actor, "manage_integrations", ONLY_ADMINS)
    message = WebhookMessage.objects.filter(pk=message_id, organization_id=actor.organization_id).first()
    if message is None:
        raise NotFound("webhook_message_not_found", "No such webhook message in this club.")
    now = timezone.now()
    with transaction.atomic():
        queued = WebhookMessage.objects.filter(pk=message.pk, state__in=[State.DELIVERED, State.DEAD]).update(
            state=State.PENDING, queued_at=now, next_attempt_at=now, attempts=0)
        if queued:
            audit_record(organization=actor.organization, actor=actor.user, action="webhook.message_resent",
                         target=message.endpoint, summary=f"Asked to send webhook message {message} again")
            transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return bool(queued)
