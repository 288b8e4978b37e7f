"""Marking what Wi-Flight must be told, inside the writer's transaction: one queue row per
reservation, its wanted version bumped with the change it follows, and a kick after commit.

Nothing is sent from here (no network I/O inside a transaction, STYLE habit 4): workers send
after commit (`sync_sending`); the kick only shortens the wait, the sweep guarantees delivery.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from core.entry_points import system_entry_point
from dispatch.models import Aircraft, Booking
from integrations.wiflight.models import ReservationSync, WiFlightConnection

log = logging.getLogger(__name__)
State = ReservationSync.State


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


@system_entry_point("a read for the sync itself")
def ready_connection(organization_id: int) -> WiFlightConnection | None:
    conn = WiFlightConnection.objects.filter(organization_id=organization_id, enabled=True).first()
    return conn if conn is not None and conn.is_ready else None


@system_entry_point("pure: a reservation's name")
def booking_reservation_name(conn: WiFlightConnection, booking: Booking) -> str:
    return conn.reservation_name(str(booking.uid))


@system_entry_point("pure: a maintenance reservation's name")
def maintenance_reservation_name(conn: WiFlightConnection, aircraft: Aircraft) -> str:
    return conn.reservation_name(f"maintenance-{aircraft.pk}")


@system_entry_point("change-event subscriber, inside the writer's checked transaction")
def reservation_sync_booking(booking: Booking) -> None:
    """Call inside the transaction of any change to a booking (the booking.* subscriber)."""
    conn = ready_connection(booking.organization_id)
    if conn is None:
        return
    _mark(organization_id=booking.organization_id, name=booking_reservation_name(conn, booking),
          kind=ReservationSync.Kind.BOOKING, booking=booking)


@system_entry_point("change-event subscriber, inside the writer's checked transaction")
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


@system_entry_point("change-event subscriber, inside the writer's checked transaction")
def reservation_sync_member(membership) -> None:
    """A member's Wi-Flight username or details changed: resend their future bookings."""
    for booking in Booking.objects.filter(crew__membership=membership, end__gt=timezone.now()).exclude(
            status=Booking.Status.CANCELLED).distinct():
        reservation_sync_booking(booking)


@system_entry_point("the connection's own service, after its admin check; the demo seed")
def reservation_sync_club(organization) -> None:
    """The connection was switched on or changed: bring every aircraft and every booking that
    has not ended to the wanted state."""
    for aircraft in Aircraft.objects.filter(organization=organization):
        reservation_sync_aircraft(aircraft)


@system_entry_point("after commit: asks a worker to send a queue row")
def kick(name: str) -> None:
    """Ask a worker to send now. If the broker is unreachable the sweep sends it later."""
    sync_id = ReservationSync.objects.filter(name=name).values_list("pk", flat=True).first()
    if sync_id is not None:
        enqueue_send(sync_id)


@system_entry_point("after commit: asks a worker to send a queue row")
def enqueue_send(sync_id: int) -> None:
    # The one place the sync reaches up to its Celery entry points. tasks.py imports the
    # services at module level (a task body calls a service); importing the task here at
    # call time keeps that the only direction at import time, so no module of the
    # integration needs tasks.py loaded before it.
    from integrations.wiflight.tasks import sync_reservation

    try:
        sync_reservation.delay(sync_id)
    except Exception:  # noqa: BLE001 - any broker failure; delivery is the sweep's guarantee
        log.warning("could not kick the Wi-Flight sync of #%s; the sweep will send it", sync_id, exc_info=True)
