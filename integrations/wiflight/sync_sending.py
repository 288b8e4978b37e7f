"""Sending the queue: claim due rows in batches with a lease, send outside any transaction,
record each batch's results, one statement per outcome, only where the lease is still ours.

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
from django.db.models import Case, CharField, DateTimeField, F, PositiveIntegerField, Q, Value, When
from django.utils import timezone

from clubs.audit import audit_record
from clubs.models import Membership
from clubs.policy import require_capability
from core.entry_points import system_entry_point
from core.errors import NotFound
from integrations.wiflight.client import WiFlightError, client_for
from integrations.wiflight.documents import wanted_reservations
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
def claim_due(*, owner: str, limit: int, ids: list[int] | None = None, first: int | None = None) -> list[ReservationSync]:
    """Lease up to `limit` due rows, oldest due first, in a fixed number of queries whatever
    the batch size. The rows come back with their wanted version, read *before* any booking
    is read for the documents (so what is sent is at least that new) and their aircraft."""
    now = timezone.now()
    lease = {"lease_owner": owner, "lease_until": now + timedelta(seconds=settings.WIFLIGHT_SYNC_LEASE_SECONDS)}
    due = ReservationSync.objects.filter(_due(now))
    if ids is not None:
        due = due.filter(pk__in=ids)
    # A kick's own row first (`first`), then the oldest due.
    order = ([Case(When(pk=first, then=Value(0)), default=Value(1))] if first is not None else []) + [
        "next_attempt_at", "pk"]
    if db_connection.vendor == "postgresql":
        # SKIP LOCKED: concurrent workers each take a different batch without waiting.
        with transaction.atomic():
            picked = list(due.select_for_update(skip_locked=True, of=("self",))
                          .order_by(*order).values_list("pk", flat=True)[:limit])
            if picked:
                ReservationSync.objects.filter(pk__in=picked).update(**lease)
    else:
        # One conditional UPDATE is the claim (SQLite has one writer at a time): of the
        # candidates, only rows still due when it runs take our lease; we read back which.
        candidates = list(due.order_by(*order).values_list("pk", flat=True)[:limit])
        if candidates:
            ReservationSync.objects.filter(_due(now), pk__in=candidates).update(**lease)
        picked = candidates
    if not picked:
        return []
    return list(ReservationSync.objects.filter(pk__in=picked, lease_owner=owner)
                .select_related("aircraft").order_by("next_attempt_at", "pk"))


@system_entry_point("workers: send one claimed row")
def sync_send(sync: ReservationSync, owner: str) -> str:
    """Send one claimed row outside any transaction; returns the state it ended in."""
    return sync_send_batch([sync], owner).get(sync.pk, State.PENDING)


@system_entry_point("workers: send a claimed batch")
def sync_send_batch(claimed: list[ReservationSync], owner: str) -> dict[int, str]:
    """Send claimed rows one after another on each club's kept-alive session, outside any
    transaction, then record every outcome with one statement per outcome. Returns pk ->
    the state each row ended in (rows whose lease another worker took are left out).

    Queries, whatever the batch size: the clubs' connections, the bookings with their crew,
    the lease renewals a slow batch needs, and one UPDATE per outcome. A club whose whole
    connection fails (no session, no answer) is tried once per batch: its other rows take
    the same failure without a request, and its rows still waiting are backed off with it,
    so one club's broken account never spends the batch of the others."""
    outcomes = _Outcomes(owner)
    connections = {c.organization_id: c for c in
                   WiFlightConnection.objects.filter(organization_id__in={s.organization_id for s in claimed})}
    wanted = wanted_reservations(claimed, connections)  # read after the versions: at least that new
    broken: dict[int, WiFlightError] = {}
    lease = _Lease(owner, [s.pk for s in claimed])
    for sync in claimed:
        if not lease.still_ours(sync.pk):
            continue
        reservation = wanted[sync.pk]
        deleting = reservation is None
        if sync.organization_id in broken:
            outcomes.failed(sync, broken[sync.organization_id], deleting=deleting)
            continue
        try:
            body = None if deleting else build_reservation_xml(reservation)
        except XMLUnbuildable as exc:
            # The same booking builds the same bad document every time: retrying for three days
            # cannot help, an edit (say, the member's name) can. Dead now, with the reason.
            outcomes.failed(sync, WiFlightError(None, str(exc)), deleting=False, permanent=True)
            continue
        try:
            client = client_for(connections[sync.organization_id])
            if body is None:
                client.delete_reservation(sync.name)
                etag = ""
            else:
                etag = client.put_reservation(sync.name, body).etag or ""
        except WiFlightError as exc:
            outcomes.failed(sync, exc, deleting=deleting)
            if exc.whole_connection:
                broken[sync.organization_id] = exc
        except Exception as exc:  # noqa: BLE001 - e.g. an undecryptable password after a key change
            # Recorded and retried with backoff like an outage, instead of silently holding the
            # lease until it expires and trying again at full speed.
            log.exception("Wi-Flight sync of %s failed unexpectedly", sync.name)
            error = WiFlightError(None, f"{type(exc).__name__}: {exc}")
            error.whole_connection = True
            outcomes.failed(sync, error, deleting=deleting)
            broken[sync.organization_id] = error
        else:
            outcomes.synced(sync, deleted=deleting, etag=etag)
    outcomes.record(broken)
    return outcomes.states


class _Lease:
    """A batch is sent one row after another: without renewing, the lease of a row late in
    the batch could run out while earlier rows are sent (slow Wi-Flight), and another worker
    would claim and send it at the same time as us. Renewed for the rows still to send, in
    one UPDATE, once a third of the lease has passed; a row another worker has now is skipped."""

    def __init__(self, owner: str, pks: list[int]):
        self.owner, self.todo, self.lost = owner, list(pks), set()
        self.renewed = time.monotonic()

    def still_ours(self, pk: int) -> bool:
        if time.monotonic() - self.renewed > settings.WIFLIGHT_SYNC_LEASE_SECONDS / 3:
            remaining = self.todo[self.todo.index(pk):]
            until = timezone.now() + timedelta(seconds=settings.WIFLIGHT_SYNC_LEASE_SECONDS)
            rows = ReservationSync.objects.filter(pk__in=remaining, lease_owner=self.owner)
            if rows.update(lease_until=until) < len(remaining):
                ours = set(rows.values_list("pk", flat=True))
                self.lost.update(p for p in remaining if p not in ours)
            self.renewed = time.monotonic()
        return pk not in self.lost


class _Outcomes:
    """A batch's results, written with one UPDATE per outcome (synced, backing off, dead),
    each only where the lease is still ours."""

    def __init__(self, owner: str):
        self.owner = owner
        self.now = timezone.now()
        self.ok: list[tuple[ReservationSync, bool, str]] = []
        self.backoff: list[tuple[ReservationSync, str, object]] = []
        self.dead: list[tuple[ReservationSync, str]] = []
        self.club_backoff: dict[int, tuple] = {}  # organization id -> (next attempt, reason)
        self.states: dict[int, str] = {}

    def synced(self, sync, *, deleted: bool, etag: str) -> None:
        self.ok.append((sync, deleted, etag[:200]))
        self.states[sync.pk] = State.SYNCED

    def failed(self, sync, exc: WiFlightError, *, deleting: bool, permanent: bool = False) -> None:
        # A refused DELETE (a flight matched the reservation) or a 400/403 will not succeed if
        # repeated. 409 is how the simulator refuses the delete; docs/wiflight.md lists them.
        refused = permanent or exc.permanent or (deleting and exc.status == 409)
        reason = f"{exc.status} {exc.reason}" if exc.status else exc.reason
        if deleting and refused and exc.status:  # Wi-Flight said no (not: we never reached it)
            reason = f"Wi-Flight keeps this reservation: {reason}"
        too_old = sync.pending_since is not None and self.now - sync.pending_since > timedelta(
            seconds=settings.WIFLIGHT_SYNC_GIVE_UP_SECONDS)
        if refused or too_old:
            # Dead only if nothing newer is wanted: a later edit may well be acceptable.
            self.dead.append((sync, reason[:500]))
            self.states[sync.pk] = State.DEAD
        else:
            if exc.whole_connection:
                # The whole club waits the same time: its rows come due together, and the next
                # attempt costs one request for all of them, not one each.
                if sync.organization_id not in self.club_backoff:
                    delay = backoff_seconds(sync.attempts + 1, exc.retry_after, whole_club=True)
                    self.club_backoff[sync.organization_id] = (self.now + timedelta(seconds=delay), reason[:500])
                next_at = self.club_backoff[sync.organization_id][0]
            else:
                next_at = self.now + timedelta(seconds=backoff_seconds(sync.attempts + 1, exc.retry_after))
            self.backoff.append((sync, reason[:500], next_at))
            self.states[sync.pk] = State.FAILED
        log.info("Wi-Flight sync of %s failed (%s): %s", sync.name, self.states[sync.pk], reason)

    def _ours(self, rows):
        return ReservationSync.objects.filter(pk__in=[s.pk for s in rows], lease_owner=self.owner)

    def _release(self, rows, **fields) -> None:
        self._ours(rows).update(lease_owner="", lease_until=None, last_attempt_at=timezone.now(), **fields)

    def record(self, broken: dict[int, WiFlightError]) -> None:
        if self.ok:
            syncs = [s for s, _d, _e in self.ok]
            sent = _by_pk(((s.pk, s.wanted_version) for s in syncs), PositiveIntegerField())
            # Synced only if nothing newer was wanted meanwhile: an edit during the send stays pending.
            caught_up = Q(wanted_version=sent)
            deleted = [s.pk for s, d, _e in self.ok if d]
            self._release(
                syncs, synced_version=sent, etag=_by_pk(((s.pk, e) for s, _d, e in self.ok), CharField()),
                synced_deleted=Case(When(pk__in=deleted, then=Value(True)), default=Value(False)),
                attempts=0, last_error="", next_attempt_at=timezone.now(),
                state=Case(When(caught_up, then=Value(State.SYNCED)), default=Value(State.PENDING)),
                pending_since=Case(When(caught_up, then=Value(None)), default=F("pending_since")),
            )
        if self.backoff:
            syncs = [s for s, _r, _n in self.backoff]
            self._release(syncs, state=State.FAILED, attempts=F("attempts") + 1,
                          last_error=_by_pk(((s.pk, r) for s, r, _n in self.backoff), CharField()),
                          next_attempt_at=_by_pk(((s.pk, n) for s, _r, n in self.backoff), DateTimeField()))
        if self.dead:
            syncs = [s for s, _r in self.dead]
            sent = _by_pk(((s.pk, s.wanted_version) for s in syncs), PositiveIntegerField())
            self._release(syncs, attempts=F("attempts") + 1, next_attempt_at=self.now,
                          last_error=_by_pk(((s.pk, r) for s, r in self.dead), CharField()),
                          state=Case(When(wanted_version=sent, then=Value(State.DEAD)), default=Value(State.PENDING)))
        for organization_id, (next_at, reason) in self.club_backoff.items():
            # The club's other waiting rows wait with it (not those another worker holds).
            (ReservationSync.objects.filter(organization_id=organization_id, state__in=[State.PENDING, State.FAILED],
                                            next_attempt_at__lt=next_at)
             .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=self.now))
             .update(state=State.FAILED, attempts=F("attempts") + 1, last_error=reason, next_attempt_at=next_at))


def _by_pk(values, output_field):
    """A per-row value in one UPDATE: CASE WHEN pk IN (...) THEN value ... END, one WHEN per
    distinct value (a batch's versions are few; Django resolves each WHEN it is given)."""
    rows_by_value: dict = {}
    for pk, value in values:
        rows_by_value.setdefault(value, []).append(pk)
    return Case(*[When(pk__in=pks, then=Value(value)) for value, pks in rows_by_value.items()],
                output_field=output_field)


@system_entry_point("pure: the retry schedule")
def backoff_seconds(attempts: int, retry_after: float | None = None, *, whole_club: bool = False) -> float:
    """Exponential backoff with full jitter, capped; never sooner than Retry-After asks.

    A club whose whole connection failed (no answer, a login that timed out) waits at least
    half the ceiling: full jitter spreads single rows, but a club tried again a moment after
    a timeout spends another timeout of a worker every other club is waiting for."""
    ceiling = min(settings.WIFLIGHT_SYNC_BACKOFF_CAP, settings.WIFLIGHT_SYNC_BACKOFF_BASE * 2 ** min(attempts, 30))
    delay = random.uniform(ceiling / 2 if whole_club else 0, ceiling)
    if retry_after:
        delay = max(delay, min(retry_after, settings.WIFLIGHT_SYNC_BACKOFF_CAP))
    return delay


@system_entry_point("workers: the sweep")
def drain(*, batch: int | None = None, time_budget: float | None = None, first: int | None = None) -> int:
    """Send due rows, a batch at a time, until none is left or the time budget is spent;
    returns how many were tried. Out of time with rows still due: kicks itself again."""
    owner, sent, started = new_owner(), 0, time.monotonic()
    budget = settings.WIFLIGHT_SYNC_DRAIN_SECONDS if time_budget is None else time_budget
    size = batch or settings.WIFLIGHT_SYNC_BATCH
    while True:
        if time.monotonic() - started >= budget:
            more = claim_due(owner=owner, limit=1)
            if more:  # release it at once: the next kick claims it with a fresh batch
                ReservationSync.objects.filter(pk=more[0].pk, lease_owner=owner).update(lease_owner="", lease_until=None)
                enqueue_send(more[0].pk)
            break
        claimed = claim_due(owner=owner, limit=size, first=first)
        first = None
        if not claimed:
            break
        sent += len(sync_send_batch(claimed, owner))
    return sent


@system_entry_point("workers: send a kicked row")
def sync_one(sync_id: int) -> int:
    """A kick: send what is due, the kicked row among it, batch after batch until nothing is
    due. A row changed while we sent it is due again and goes in the next batch (its edit's
    own kick found the row leased); the kicks that queued behind this one find nothing left
    and cost one query each. The kicked row goes in the first batch."""
    return drain(first=sync_id)


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
