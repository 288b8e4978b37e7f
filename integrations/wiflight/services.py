"""The reservation sync: mark changes (inside the writer's transaction), claim due work with a
lease, send outside any transaction, record the result.

Guarantees and why:
- Nothing lost: the mark is a row written in the same transaction as the booking change;
  Celery only shortens the wait (a kick on commit), the periodic sweep is what guarantees
  delivery.
- Nothing sent twice at once: a row is sent only by the worker holding its lease (claimed by
  a conditional UPDATE, or SKIP LOCKED on PostgreSQL); results are recorded only if the lease
  is still ours. A worker killed mid-send leaves a lease that expires; the next worker sends
  again, which is safe because a PUT is a full replacement and a DELETE of nothing is a 404.
- Coalescing: the document is built from the current booking when it is sent, so many edits
  while Wi-Flight is down become one PUT of the latest state.
- Never mark newer content as synced by mistake: the wanted version is read *before* the
  booking, so what we send is at least as new as the version we record.
"""

import logging
import os
import random
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection as db_connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from dispatch.models import Aircraft, Booking
from integrations.wiflight.client import WiFlightClient, WiFlightError
from integrations.wiflight.documents import wanted_reservation
from integrations.wiflight.models import ReservationSync, WiFlightConnection
from integrations.wiflight.xml import build_reservation_xml

log = logging.getLogger(__name__)
State = ReservationSync.State


# --- marking changes (inside the writer's transaction) --------------------------------------

def _bump_fields(now) -> dict:
    # A row already in backoff keeps its schedule: edits made while Wi-Flight is down must not
    # turn into a retry storm (each edit would otherwise trigger an immediate attempt).
    in_backoff = Q(state=State.FAILED)
    return {
        "wanted_version": F("wanted_version") + 1,
        "state": Case(When(in_backoff, then=Value(State.FAILED)), default=Value(State.PENDING)),
        "next_attempt_at": Case(When(in_backoff, then=F("next_attempt_at")), default=Value(now)),
        "attempts": Case(When(in_backoff, then=F("attempts")), default=Value(0)),
        "pending_since": Case(When(pending_since__isnull=True, then=Value(now)), default=F("pending_since")),
        "updated_at": now,
    }


def _rename(*, kind: str, booking=None, aircraft=None, name: str, now) -> None:
    """The club changed its reservation name domain: the row takes the new name, and a row
    without a target is left under the old name, so the old reservation gets deleted."""
    current = (ReservationSync.objects.filter(booking=booking) if booking is not None
               else ReservationSync.objects.filter(kind=kind, aircraft=aircraft)).exclude(name=name).first()
    if current is None or ReservationSync.objects.filter(name=name).exists():
        return
    old_name = current.name
    ReservationSync.objects.filter(pk=current.pk).update(name=name)
    ReservationSync.objects.create(organization_id=current.organization_id, name=old_name, kind=kind,
                                   wanted_version=current.wanted_version + 1, synced_version=current.synced_version,
                                   next_attempt_at=now, pending_since=now)
    transaction.on_commit(lambda: kick(old_name))


def _mark(*, organization_id: int, name: str, kind: str, booking=None, aircraft=None) -> None:
    now = timezone.now()
    _rename(kind=kind, booking=booking, aircraft=aircraft, name=name, now=now)
    if not ReservationSync.objects.filter(name=name).update(**_bump_fields(now)):
        try:
            with transaction.atomic():
                ReservationSync.objects.create(organization_id=organization_id, name=name, kind=kind, booking=booking,
                                               aircraft=aircraft, next_attempt_at=now, pending_since=now)
        except IntegrityError:  # a concurrent writer created the row first: bump it instead
            ReservationSync.objects.filter(name=name).update(**_bump_fields(now))
    transaction.on_commit(lambda: kick(name))


def ready_connection(organization_id: int) -> WiFlightConnection | None:
    conn = WiFlightConnection.objects.filter(organization_id=organization_id, enabled=True).first()
    return conn if conn is not None and conn.is_ready else None


def booking_reservation_name(conn: WiFlightConnection, booking: Booking) -> str:
    return conn.reservation_name(str(booking.uid))


def maintenance_reservation_name(conn: WiFlightConnection, aircraft: Aircraft) -> str:
    return conn.reservation_name(f"maintenance-{aircraft.pk}")


def reservation_sync_booking(booking: Booking) -> None:
    """Call inside the transaction of any change to a booking (dispatch.services.hooks)."""
    conn = ready_connection(booking.organization_id)
    if conn is None:
        return
    _mark(organization_id=booking.organization_id, name=booking_reservation_name(conn, booking),
          kind=ReservationSync.Kind.BOOKING, booking=booking)


def reservation_sync_aircraft(aircraft: Aircraft) -> None:
    """The aircraft's maintenance subscription, and its future bookings (the tail may have
    changed). Call inside the transaction that changed the aircraft or the connection."""
    conn = ready_connection(aircraft.organization_id)
    if conn is None:
        return
    if conn.maintenance_enabled or ReservationSync.objects.filter(aircraft=aircraft).exists():
        _mark(organization_id=aircraft.organization_id, name=maintenance_reservation_name(conn, aircraft),
              kind=ReservationSync.Kind.MAINTENANCE, aircraft=aircraft)
    for booking in Booking.objects.filter(aircraft=aircraft, end__gt=timezone.now()).exclude(status=Booking.Status.CANCELLED):
        reservation_sync_booking(booking)


def reservation_sync_member(membership) -> None:
    """A member's Wi-Flight username or details changed: resend their future bookings."""
    for booking in Booking.objects.filter(crew__membership=membership, end__gt=timezone.now()).exclude(
            status=Booking.Status.CANCELLED).distinct():
        reservation_sync_booking(booking)


def reservation_sync_club(organization) -> None:
    """The connection was switched on or changed: bring every aircraft and every booking that
    has not ended to the wanted state."""
    for aircraft in Aircraft.objects.filter(organization=organization):
        reservation_sync_aircraft(aircraft)


def kick(name: str) -> None:
    """Ask a worker to send now. If the broker is unreachable the sweep sends it later."""
    from integrations.wiflight.tasks import sync_reservation

    sync_id = ReservationSync.objects.filter(name=name).values_list("pk", flat=True).first()
    if sync_id is None:
        return
    try:
        sync_reservation.delay(sync_id)
    except Exception:  # noqa: BLE001 - any broker failure; delivery is the sweep's guarantee
        log.warning("could not kick the Wi-Flight sync of %s; the sweep will send it", name, exc_info=True)


# --- claiming and sending (workers) ------------------------------------------------------------

def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _due(now) -> Q:
    return (Q(state__in=[State.PENDING, State.FAILED], next_attempt_at__lte=now, organization__wiflight__enabled=True)
            & (Q(lease_until__isnull=True) | Q(lease_until__lt=now)))


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


_clients: dict[int, tuple[tuple, WiFlightClient]] = {}


def client_for(conn: WiFlightConnection) -> WiFlightClient:
    """One logged-in requests session per club per worker process."""
    fingerprint = (conn.base_url, conn.username, conn.password_encrypted)
    cached = _clients.get(conn.organization_id)
    if cached is None or cached[0] != fingerprint:
        timeout = (settings.WIFLIGHT_CONNECT_TIMEOUT, settings.WIFLIGHT_READ_TIMEOUT)
        _clients[conn.organization_id] = (fingerprint, WiFlightClient(conn.base_url, conn.username, conn.password,
                                                                       timeout=timeout))
    return _clients[conn.organization_id][1]


def sync_send(sync: ReservationSync, owner: str) -> str:
    """Send one claimed row outside any transaction; returns the state it ended in."""
    conn = WiFlightConnection.objects.get(organization_id=sync.organization_id)
    version = ReservationSync.objects.filter(pk=sync.pk).values_list("wanted_version", flat=True).get()
    wanted = wanted_reservation(sync, conn)  # read after the version: at least that new
    try:
        client = client_for(conn)
        if wanted is None:
            client.delete_reservation(sync.name)
            etag = ""
        else:
            etag = client.put_reservation(sync.name, build_reservation_xml(wanted)).etag or ""
    except WiFlightError as exc:
        return _record_failure(sync, owner, version, exc, deleting=wanted is None)
    except Exception as exc:  # noqa: BLE001 - e.g. an undecryptable password after a key change
        # Recorded and retried with backoff like an outage, instead of silently holding the
        # lease until it expires and trying again at full speed.
        log.exception("Wi-Flight sync of %s failed unexpectedly", sync.name)
        return _record_failure(sync, owner, version, WiFlightError(None, f"{type(exc).__name__}: {exc}"),
                               deleting=wanted is None)
    return _record_success(sync, owner, version, deleted=wanted is None, etag=etag)


def _release(owner_rows, **fields) -> int:
    return owner_rows.update(lease_owner="", lease_until=None, last_attempt_at=timezone.now(), **fields)


def _record_success(sync, owner, version: int, *, deleted: bool, etag: str) -> str:
    caught_up = Q(wanted_version=version)
    _release(
        ReservationSync.objects.filter(pk=sync.pk, lease_owner=owner),
        synced_version=version, synced_deleted=deleted, etag=etag[:200], attempts=0, last_error="",
        state=Case(When(caught_up, then=Value(State.SYNCED)), default=Value(State.PENDING)),
        pending_since=Case(When(caught_up, then=Value(None)), default=F("pending_since")),
        next_attempt_at=timezone.now(),
    )
    return State.SYNCED


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter, capped; never sooner than Retry-After asks."""
    ceiling = min(settings.WIFLIGHT_SYNC_BACKOFF_CAP, settings.WIFLIGHT_SYNC_BACKOFF_BASE * 2 ** min(attempts, 30))
    delay = random.uniform(0, ceiling)
    if retry_after:
        delay = max(delay, min(retry_after, settings.WIFLIGHT_SYNC_BACKOFF_CAP))
    return delay


def _record_failure(sync, owner, version: int, exc: WiFlightError, *, deleting: bool) -> str:
    now = timezone.now()
    # A refused DELETE (a flight matched the reservation) or a 400/403 will not succeed if
    # repeated. 409 is how the simulator refuses the delete; docs/wiflight.md lists them.
    refused = exc.permanent or (deleting and exc.status == 409)
    reason = f"{exc.status} {exc.reason}" if exc.status else exc.reason
    if deleting and refused:
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


def drain(*, batch: int = 20, time_budget: float | None = None) -> int:
    """Send due rows until none is left or the time budget is spent; returns how many."""
    import time

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


def sync_retry_now(*, organization, sync_id: int, actor) -> bool:
    """An admin's "retry now": a dead or waiting row becomes due at once."""
    from clubs.audit import audit_record

    with transaction.atomic():
        updated = ReservationSync.objects.filter(
            pk=sync_id, organization=organization, state__in=[State.FAILED, State.DEAD, State.PENDING]).update(
            state=State.PENDING, next_attempt_at=timezone.now(), attempts=0,
            pending_since=Case(When(pending_since__isnull=True, then=Value(timezone.now())), default=F("pending_since")))
        if updated:
            audit_record(organization=organization, actor=actor, action="wiflight.retry",
                         summary=f"Asked to retry the Wi-Flight sync of reservation #{sync_id}")
            transaction.on_commit(lambda: _kick_id(sync_id))
    return bool(updated)


def _kick_id(sync_id: int) -> None:
    name = ReservationSync.objects.filter(pk=sync_id).values_list("name", flat=True).first()
    if name:
        kick(name)
