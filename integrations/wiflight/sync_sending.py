"""Sending the queue: claim due rows with a lease, send outside any transaction, record the
result only if the lease is still ours.

Guarantees and why:
- Nothing sent twice at once: a row is sent only by the worker holding its lease (claimed by
  a conditional UPDATE, or SKIP LOCKED on PostgreSQL); results are recorded only if the lease
  is still ours. A worker killed mid-send leaves a lease that expires; the next worker sends
  again, which is safe because a PUT is a full replacement and a DELETE of nothing is a 404.
- Coalescing: the document is built from the current booking when it is sent, so many edits
  while Wi-Flight is down become one PUT of the latest state.
- Never mark newer content as synced by mistake: the wanted version is read *before* the
  booking, so what we send is at least as new as the version we record; an edit that lands
  during the send leaves the row pending and it is sent again.
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
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from clubs.audit import audit_record
from clubs.models import Membership
from clubs.policy import require_capability
from core.entry_points import system_entry_point
from core.errors import NotFound
from integrations.wiflight.client import WiFlightError, client_for
from integrations.wiflight.documents import wanted_reservation
from integrations.wiflight.models import ReservationSync, WiFlightConnection
from integrations.wiflight.sync_marking import enqueue_send
from integrations.wiflight.xml import XMLUnbuildable, build_reservation_xml

log = logging.getLogger(__name__)
State = ReservationSync.State


@system_entry_point("pure: a worker's lease owner name")
def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _due(now) -> Q:
    return (Q(state__in=[State.PENDING, State.FAILED], next_attempt_at__lte=now, organization__wiflight__enabled=True)
            & (Q(lease_until__isnull=True) | Q(lease_until__lt=now)))


@system_entry_point("workers: claim queue rows")
def claim_due(*, owner: str, limit: int, ids: list[int] | None = None) -> list[ReservationSync]:
    now = timezone.now()
    lease = {"lease_owner": owner, "lease_until": now + timedelta(seconds=settings.WIFLIGHT_SYNC_LEASE_SECONDS)}
    due = ReservationSync.objects.filter(_due(now))
    if ids is not None:
        due = due.filter(pk__in=ids)
    if db_connection.vendor == "postgresql":
        # SKIP LOCKED: concurrent workers each take a different batch without waiting.
        with transaction.atomic():
            picked = list(due.select_for_update(skip_locked=True, of=("self",))
                          .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
            ReservationSync.objects.filter(pk__in=picked).update(**lease)
    else:
        picked = []
        for pk in due.order_by("next_attempt_at").values_list("pk", flat=True)[: limit * 2]:
            # The conditional UPDATE is the claim: only one worker's UPDATE matches.
            if ReservationSync.objects.filter(_due(now), pk=pk).update(**lease):
                picked.append(pk)
            if len(picked) >= limit:
                break
    return list(ReservationSync.objects.filter(pk__in=picked, lease_owner=owner).select_related("aircraft"))


@system_entry_point("workers: send one claimed row")
def sync_send(sync: ReservationSync, owner: str) -> str:
    """Send one claimed row outside any transaction; returns the state it ended in."""
    conn = WiFlightConnection.objects.get(organization_id=sync.organization_id)
    version = ReservationSync.objects.filter(pk=sync.pk).values_list("wanted_version", flat=True).get()
    wanted = wanted_reservation(sync, conn)  # read after the version: at least that new
    try:
        body = None if wanted is None else build_reservation_xml(wanted)
    except XMLUnbuildable as exc:
        # The same booking builds the same bad document every time: retrying for three days
        # cannot help, an edit (say, the member's name) can. Dead now, with the reason.
        return _record_failure(sync, owner, version, WiFlightError(None, str(exc)), deleting=False, permanent=True)
    try:
        client = client_for(conn)
        if body is None:
            client.delete_reservation(sync.name)
            etag = ""
        else:
            etag = client.put_reservation(sync.name, body).etag or ""
    except WiFlightError as exc:
        return _record_failure(sync, owner, version, exc, deleting=body is None)
    except Exception as exc:  # noqa: BLE001 - e.g. an undecryptable password after a key change
        # Recorded and retried with backoff like an outage, instead of silently holding the
        # lease until it expires and trying again at full speed.
        log.exception("Wi-Flight sync of %s failed unexpectedly", sync.name)
        return _record_failure(sync, owner, version, WiFlightError(None, f"{type(exc).__name__}: {exc}"),
                               deleting=body is None)
    return _record_success(sync, owner, version, deleted=body is None, etag=etag)


def _release(owner_rows, **fields) -> int:
    return owner_rows.update(lease_owner="", lease_until=None, last_attempt_at=timezone.now(), **fields)


def _record_success(sync, owner, version: int, *, deleted: bool, etag: str) -> str:
    # Synced only if nothing newer was wanted meanwhile: an edit during the send stays pending.
    caught_up = Q(wanted_version=version)
    _release(
        ReservationSync.objects.filter(pk=sync.pk, lease_owner=owner),
        synced_version=version, synced_deleted=deleted, etag=etag[:200], attempts=0, last_error="",
        state=Case(When(caught_up, then=Value(State.SYNCED)), default=Value(State.PENDING)),
        pending_since=Case(When(caught_up, then=Value(None)), default=F("pending_since")),
        next_attempt_at=timezone.now(),
    )
    return State.SYNCED


@system_entry_point("pure: the retry schedule")
def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter, capped; never sooner than Retry-After asks."""
    ceiling = min(settings.WIFLIGHT_SYNC_BACKOFF_CAP, settings.WIFLIGHT_SYNC_BACKOFF_BASE * 2 ** min(attempts, 30))
    delay = random.uniform(0, ceiling)
    if retry_after:
        delay = max(delay, min(retry_after, settings.WIFLIGHT_SYNC_BACKOFF_CAP))
    return delay


def _record_failure(sync, owner, version: int, exc: WiFlightError, *, deleting: bool, permanent: bool = False) -> str:
    now = timezone.now()
    # A refused DELETE (a flight matched the reservation) or a 400/403 will not succeed if
    # repeated. 409 is how the simulator refuses the delete; docs/wiflight.md lists them.
    refused = permanent or exc.permanent or (deleting and exc.status == 409)
    reason = f"{exc.status} {exc.reason}" if exc.status else exc.reason
    if deleting and refused and exc.status:  # Wi-Flight said no (not: we never reached it)
        reason = f"Wi-Flight keeps this reservation: {reason}"
    attempts = sync.attempts + 1
    too_old = sync.pending_since is not None and now - sync.pending_since > timedelta(
        seconds=settings.WIFLIGHT_SYNC_GIVE_UP_SECONDS)
    if refused or too_old:
        # Dead only if nothing newer is wanted: a later edit may well be acceptable.
        state = Case(When(wanted_version=version, then=Value(State.DEAD)), default=Value(State.PENDING))
        ended = State.DEAD
        next_at = now
    else:
        state, ended = Value(State.FAILED), State.FAILED
        next_at = now + timedelta(seconds=backoff_seconds(attempts, exc.retry_after))
    _release(ReservationSync.objects.filter(pk=sync.pk, lease_owner=owner), state=state, attempts=attempts,
             last_error=reason[:500], next_attempt_at=next_at)
    log.info("Wi-Flight sync of %s failed (%s): %s", sync.name, ended, reason)
    return ended


@system_entry_point("workers: the sweep")
def drain(*, batch: int = 20, time_budget: float | None = None) -> int:
    """Send due rows until none is left or the time budget is spent; returns how many."""
    owner, sent, started = new_owner(), 0, time.monotonic()
    budget = settings.WIFLIGHT_SYNC_DRAIN_SECONDS if time_budget is None else time_budget
    while time.monotonic() - started < budget:
        claimed = claim_due(owner=owner, limit=batch)
        if not claimed:
            break
        for sync in claimed:
            if _renew_lease(sync, owner):
                sync_send(sync, owner)
                sent += 1
    return sent


def _renew_lease(sync: ReservationSync, owner: str) -> bool:
    """A batch is sent one row after another: without renewing, the lease of a row late in
    the batch could run out while earlier rows are sent (slow Wi-Flight), and another worker
    would claim and send it at the same time as us. False if another worker has it now."""
    until = timezone.now() + timedelta(seconds=settings.WIFLIGHT_SYNC_LEASE_SECONDS)
    return bool(ReservationSync.objects.filter(pk=sync.pk, lease_owner=owner).update(lease_until=until))


@system_entry_point("workers: send one row")
def sync_one(sync_id: int, *, max_sends: int = 5) -> str | None:
    """Send one row; again if it was changed while we sent it. Those edits' own kicks found
    the row leased and did nothing, so without this they would wait for the sweep."""
    owner, state = new_owner(), None
    for _ in range(max_sends):
        claimed = claim_due(owner=owner, limit=1, ids=[sync_id])
        if not claimed:
            break
        state = sync_send(claimed[0], owner)
    return state


def sync_retry_now(*, actor: Membership, sync_id: int) -> bool:
    """"Retry now" from the queue page: a dead or waiting row becomes due at once and is
    kicked. False when there is nothing to retry (already synced)."""
    # Whoever sees the queue may retry it (docs/sync.md): admins and dispatchers.
    require_capability(actor, "run_sync_queue", "Only admins and dispatchers retry the Wi-Flight sync.")
    if not ReservationSync.objects.filter(pk=sync_id, organization_id=actor.organization_id).exists():
        raise NotFound("sync_row_not_found", "No such reservation in this club's Wi-Flight queue.")
    now = timezone.now()
    with transaction.atomic():
        updated = ReservationSync.objects.filter(
            pk=sync_id, organization_id=actor.organization_id,
            state__in=[State.FAILED, State.DEAD, State.PENDING]).update(
            state=State.PENDING, next_attempt_at=now, attempts=0,
            pending_since=Case(When(pending_since__isnull=True, then=Value(now)), default=F("pending_since")))
        if updated:
            audit_record(organization=actor.organization, actor=actor.user, action="wiflight.retry",
                         summary=f"Asked to retry the Wi-Flight sync of reservation #{sync_id}")
            transaction.on_commit(lambda: enqueue_send(sync_id))
    return bool(updated)
