"""Flights coming back from Wi-Flight: store a notification, ingest a flight document (from a
notification or from reconciliation: one path, one de-duplication), link it to a booking,
create the crew's flight log entries, and fetch the GPS track once.

Network I/O (the track) happens outside any transaction; ingest itself is database only.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from lxml import etree

from dispatch.models import Aircraft, Booking, BookingCrew
from flights.services.logbook import logbook_entries_for_flight
from clubs.audit import audit_record
from flights.models import Flight, FlightCrew, FlightEvent, FlightTrack
from integrations.wiflight.models import FlightNotification, ReservationSync, WiFlightConnection
from integrations.wiflight.xml import (
    FlightDocument, Notification, XMLRejected, flight_from_element, parse_notification_xml, parse_track_xml,
    parse_xml)
from clubs.models import Membership

log = logging.getLogger(__name__)
TRACK_CHUNK_SECONDS = 600  # Wi-Flight caps a track request at 10 minutes
NOTIFICATION_MAX_ATTEMPTS = 6


# --- receiving -----------------------------------------------------------------------------

def notification_store(*, connection: WiFlightConnection, body: bytes, notification: Notification) -> tuple[FlightNotification, bool]:
    """Store the body durably; (row, created). A duplicate (same flight and reservation) is
    acknowledged by the caller and changes nothing."""
    try:
        with transaction.atomic():
            row = FlightNotification.objects.create(
                organization_id=connection.organization_id, wiflight_flight_id=notification.flight.wiflight_id,
                reservation_name=notification.reservation_name, notification_id=notification.notification_id,
                body=body)
            transaction.on_commit(lambda: _kick_notification(row.pk))
            return row, True
    except IntegrityError:  # Wi-Flight retried, or two deliveries raced: the first one won
        return FlightNotification.objects.get(organization_id=connection.organization_id,
                                              wiflight_flight_id=notification.flight.wiflight_id,
                                              reservation_name=notification.reservation_name), False


def _kick_notification(notification_pk: int) -> None:
    from integrations.wiflight.tasks import process_notification

    try:
        process_notification.delay(notification_pk)
    except Exception:  # noqa: BLE001 - broker down: the periodic sweep processes it
        log.warning("could not enqueue notification %s; the sweep will process it", notification_pk, exc_info=True)


def notification_process(notification_pk: int) -> Flight | None:
    """Idempotent: a processed notification is left alone; a failing one keeps its error."""
    row = FlightNotification.objects.filter(pk=notification_pk).exclude(
        state=FlightNotification.State.PROCESSED).first()
    if row is None:
        return None
    try:
        parsed = parse_notification_xml(bytes(row.body))
        flight = flight_ingest(organization_id=row.organization_id, document=parsed.flight,
                               raw=_flight_xml(bytes(row.body)), reservation_name=parsed.reservation_name,
                               source=Flight.Source.NOTIFICATION)
    except (XMLRejected, IntegrityError, ValueError) as exc:
        attempts = row.attempts + 1
        # Some failures pass (a race with a concurrent ingest); the sweep tries again with
        # backoff, a few times, then leaves it for an admin (flights page, "Retry").
        retry_at = (timezone.now() + timedelta(minutes=2 ** attempts)
                    if attempts < NOTIFICATION_MAX_ATTEMPTS else None)
        FlightNotification.objects.filter(pk=row.pk).update(
            state=FlightNotification.State.FAILED, attempts=attempts, last_error=str(exc)[:500], retry_at=retry_at)
        log.warning("notification %s could not be processed: %s", row.pk, exc)
        return None
    FlightNotification.objects.filter(pk=row.pk).update(
        state=FlightNotification.State.PROCESSED, processed_at=timezone.now(), attempts=row.attempts + 1, last_error="")
    return flight


def notifications_sweep(*, older_than_seconds: int = 60, limit: int = 200) -> int:
    """What a lost kick left behind (broker down, worker killed): process it now."""
    now = timezone.now()
    lost = Q(state=FlightNotification.State.RECEIVED, received_at__lt=now - timedelta(seconds=older_than_seconds))
    due_retry = Q(state=FlightNotification.State.FAILED, retry_at__lte=now)
    ids = list(FlightNotification.objects.filter(lost | due_retry)
               .order_by("received_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        notification_process(pk)
    return len(ids)


def notification_retry(*, organization, notification_id: int, actor) -> bool:
    """An admin's "Retry" of a notification whose processing failed."""
    with transaction.atomic():
        updated = FlightNotification.objects.filter(
            pk=notification_id, organization=organization, state=FlightNotification.State.FAILED).update(
            state=FlightNotification.State.RECEIVED, retry_at=None)
        if updated:
            audit_record(organization=organization, actor=actor, action="wiflight.notification_retry",
                         summary=f"Asked to process Wi-Flight notification #{notification_id} again")
            transaction.on_commit(lambda: _kick_notification(notification_id))
    return bool(updated)


def _flight_xml(body: bytes) -> str:
    element = parse_xml(body).find("flight")
    return etree.tostring(element, encoding="unicode") if element is not None else ""


# --- ingest ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReservationTarget:
    booking: Booking | None
    known: bool  # a reservation of ours (booking or maintenance subscription)


def reservation_target(*, organization_id: int, name: str) -> ReservationTarget:
    sync = ReservationSync.objects.filter(organization_id=organization_id, name=name).select_related("booking").first()
    if sync is None:
        return ReservationTarget(None, False)
    return ReservationTarget(sync.booking if sync.kind == ReservationSync.Kind.BOOKING else None,
                             sync.kind == ReservationSync.Kind.MAINTENANCE or sync.booking is not None)


def booking_by_time(*, aircraft: Aircraft, start, end) -> Booking | None:
    """Our own matching (reconciliation): same rule and tolerance as Wi-Flight's
    (docs/wiflight.md decision 3): overlap with the booking widened by the tolerance; the
    largest overlap, then the smallest gap, the shorter booking, the earlier start."""
    tolerance = timedelta(seconds=settings.WIFLIGHT_MATCH_TOLERANCE_SECONDS)
    candidates = Booking.objects.filter(aircraft=aircraft, start__lt=end + tolerance, end__gt=start - tolerance).exclude(
        status=Booking.Status.CANCELLED)

    def rank(b: Booking):
        overlap = (min(end, b.end) - max(start, b.start)).total_seconds()
        gap = max(0.0, (b.start - end).total_seconds(), (start - b.end).total_seconds())
        return (-max(overlap, 0.0), gap, (b.end - b.start).total_seconds(), b.start, str(b.uid))

    ranked = sorted(candidates, key=rank)
    return ranked[0] if ranked else None


def flight_ingest(*, organization_id: int, document: FlightDocument, raw: str, reservation_name: str | None,
                  source: str) -> Flight:
    """Create or complete the flight `document` describes. Safe to repeat: the flight is
    unique per club (the constraint settles two racing ingests), a booking once linked stays
    linked, and log entries are unique per (flight, member)."""
    aircraft = Aircraft.objects.filter(organization_id=organization_id, registration=document.tail).first()
    target = (reservation_target(organization_id=organization_id, name=reservation_name)
              if reservation_name else ReservationTarget(None, False))
    booking = target.booking
    if booking is None and reservation_name is None and aircraft is not None:
        booking = booking_by_time(aircraft=aircraft, start=document.start,
                                  end=document.start + timedelta(seconds=document.length))
    with transaction.atomic():
        flight = _flight_row(organization_id, document, raw, aircraft, source)
        if booking is not None and flight.booking_id is None:
            Flight.objects.filter(pk=flight.pk, booking__isnull=True).update(booking=booking, unmatched_reservation="")
            flight.refresh_from_db()
        elif reservation_name and not target.known and flight.booking_id is None:
            Flight.objects.filter(pk=flight.pk).update(unmatched_reservation=reservation_name[:200])
            flight.refresh_from_db()
        _crew(flight, document)
        if flight.booking_id is not None:
            logbook_entries_for_flight(flight=flight)
    return flight


def _flight_row(organization_id, document: FlightDocument, raw: str, aircraft, source) -> Flight:
    existing = Flight.objects.filter(organization_id=organization_id, wiflight_id=document.wiflight_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            flight = Flight.objects.create(
                organization_id=organization_id, wiflight_id=document.wiflight_id, aircraft=aircraft,
                tail=document.tail, start=document.start, length_seconds=document.length,
                engine_seconds=document.engine_seconds, airtime_seconds=min(document.airtime_seconds, document.length),
                headline=document.headline, raw_document=raw, source=source)
    except IntegrityError:  # another ingest of the same flight committed first
        return Flight.objects.get(organization_id=organization_id, wiflight_id=document.wiflight_id)
    FlightEvent.objects.bulk_create([
        FlightEvent(flight=flight, kind=e.kind, time=e.time, offset_seconds=e.offset, airport=e.airport)
        for e in document.events])
    return flight


def _crew(flight: Flight, document: FlightDocument) -> None:
    wanted: dict[int, tuple[str, str]] = {}
    if flight.booking_id:
        for slot in BookingCrew.objects.filter(booking_id=flight.booking_id).select_related("membership"):
            wanted[slot.membership_id] = (slot.membership.wiflight_username, slot.role)
    members = {m.wiflight_username: m for m in Membership.objects.filter(
        organization_id=flight.organization_id, wiflight_username__in=document.crew)}
    unknown = []
    for name in document.crew:
        if name in members:
            wanted.setdefault(members[name].pk, (name, ""))
        else:
            unknown.append(name)
    have = set(FlightCrew.objects.filter(flight=flight, membership__isnull=False).values_list("membership_id", flat=True))
    FlightCrew.objects.bulk_create([FlightCrew(flight=flight, membership_id=pk, wiflight_username=name, role=role)
                                    for pk, (name, role) in wanted.items() if pk not in have], ignore_conflicts=True)
    known_names = set(FlightCrew.objects.filter(flight=flight, membership__isnull=True).values_list("wiflight_username", flat=True))
    FlightCrew.objects.bulk_create([FlightCrew(flight=flight, wiflight_username=n) for n in unknown if n not in known_names])


def flight_assign(*, flight: Flight, booking: Booking, actor) -> Flight:
    """An admin links an unmatched flight to a booking of the same club and aircraft."""
    if booking.organization_id != flight.organization_id:
        raise ValidationError("That booking belongs to another club.")
    if booking.aircraft.registration != flight.tail:
        raise ValidationError("That booking is for another aircraft.")
    with transaction.atomic():
        if not Flight.objects.filter(pk=flight.pk, booking__isnull=True).update(booking=booking, unmatched_reservation=""):
            raise ValidationError("This flight is already linked to a booking.")
        flight.refresh_from_db()
        FlightCrew.objects.filter(flight=flight, membership__isnull=False).delete()

        _crew(flight, flight_from_element(parse_xml(flight.raw_document.encode())))
        logbook_entries_for_flight(flight=flight)
        audit_record(organization=flight.organization, actor=actor, action="wiflight.flight_assigned", target=flight,
                     summary=f"Linked Wi-Flight flight {flight.wiflight_id} to booking #{booking.pk}")
    return flight


# --- the track (network: never inside a transaction) -------------------------------------------

def flight_track_cached(flight: Flight) -> list[list[float]] | None:
    return FlightTrack.objects.filter(flight=flight).values_list("points", flat=True).first()


def flight_track_request(flight: Flight) -> list[list[float]] | None:
    """The stored track, or None after asking a worker to fetch it: a web request never waits
    for Wi-Flight (a long flight is many 600 s chunks)."""
    points = flight_track_cached(flight)
    if points is None:
        from integrations.wiflight.tasks import fetch_track

        try:
            fetch_track.delay(flight.pk)
        except Exception:  # noqa: BLE001 - broker down: the next page view asks again
            log.warning("could not enqueue the track fetch of flight %s", flight.pk, exc_info=True)
        points = flight_track_cached(flight)  # eager Celery (tests, scripts) fetched it already
    return points


def flight_track_fetch(*, flight_id: int, client_factory=None) -> list[list[float]]:
    """Fetch a track from Wi-Flight in 600 s chunks and store it (worker side; idempotent)."""
    flight = Flight.objects.get(pk=flight_id)
    cached = flight_track_cached(flight)
    if cached is not None:
        return cached
    from integrations.wiflight.services import client_for

    # No transaction is open while we talk to Wi-Flight: a slow server must not hold locks.
    connection = WiFlightConnection.objects.get(organization_id=flight.organization_id)
    client = (client_factory or client_for)(connection)
    points: list[list[float]] = []
    for offset in range(0, max(flight.length_seconds, 1), TRACK_CHUNK_SECONDS):
        chunk = parse_track_xml(client.get_track(flight.wiflight_id, offset=offset, length=TRACK_CHUNK_SECONDS))
        points.extend(p for p in chunk if not points or p[0] > points[-1][0])
    try:
        with transaction.atomic():
            FlightTrack.objects.create(flight=flight, points=points)
    except IntegrityError:  # two workers fetched it at once; either copy is the same track
        pass
    return points
