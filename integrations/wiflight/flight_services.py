"""Flights coming back from Wi-Flight: store a notification and process it, turn a Wi-Flight
flight document into a detected flight for flights.services.ingest (from a notification or
from reconciliation: one path, one de-duplication), and fetch the GPS track once.

Recording the flight, its crew, its booking and the flight log is the flights app's
(flights/services); this module only speaks Wi-Flight. Network I/O (the track) happens
outside any transaction; ingest itself is database only.
"""

import atexit
import logging
import os
import queue
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from lxml import etree

from clubs.audit import audit_record
from clubs.models import Membership, Organization
from clubs.policy import require_capability
from core.entry_points import system_entry_point
from core.errors import NotFound
from dispatch.models import Aircraft, Booking
from flights.models import Flight, FlightTrack
from flights.selectors import booking_candidates
from flights.services.ingest import DetectedEvent, DetectedFlight, flight_record_detected
from flights.tracks import flight_track_stored
from integrations.wiflight.client import client_for
from integrations.wiflight.models import FlightNotification, ReservationSync, WiFlightConnection
from integrations.wiflight.xml import (
    FlightDocument, Notification, XMLRejected, parse_notification_xml, parse_track_xml, parse_xml)

log = logging.getLogger(__name__)
TRACK_CHUNK_SECONDS = 600  # Wi-Flight caps a track request at 10 minutes
NOTIFICATION_MAX_ATTEMPTS = 6
KICK_BATCH = 50  # notifications per kick message at most


# --- receiving -----------------------------------------------------------------------------

@system_entry_point("the notification receiver, authenticated by the club's notify secret")
def notification_store(*, organization_id: int, body: bytes, notification: Notification) -> bool:
    """Store the body durably; True if stored, False for a duplicate (same flight and
    reservation), which the caller acknowledges and which changes nothing."""
    try:
        with transaction.atomic():
            row = FlightNotification.objects.create(
                organization_id=organization_id, wiflight_flight_id=notification.flight.wiflight_id,
                reservation_name=notification.reservation_name, notification_id=notification.notification_id,
                body=body)
            transaction.on_commit(lambda: _kick_notification(row.pk))
            return True
    except IntegrityError:  # Wi-Flight retried, or two deliveries raced: the first one won
        return False


# The kick is a hint, never the guarantee (the sweep is): a web process hands it to one
# background thread, which publishes while the request thread goes on to its next request
# (Celery builds a task message in about a millisecond of CPU, the broker adds a file write
# or a round trip), and what arrives within a short linger goes out as one message.
# A kick lost with its process is a row the sweep processes.
_kicker: tuple[int, queue.Queue] | None = None  # (pid, queue): a forked worker starts its own
_kicker_lock = threading.Lock()


def _kick_notification(notification_pk: int) -> None:
    from integrations.wiflight.tasks import process_notification

    if process_notification.app.conf.task_always_eager:
        _kick_publish(notification_pk)  # tests and scripts: processed before the caller goes on
    else:
        _kick_queue().put(notification_pk)


def _kick_queue() -> queue.Queue:
    global _kicker
    kicker = _kicker
    if kicker is None or kicker[0] != os.getpid():
        with _kicker_lock:
            if _kicker is None or _kicker[0] != os.getpid():
                kicks: queue.Queue = queue.Queue()
                threading.Thread(target=_kick_loop, args=(kicks,), name="notification-kicks", daemon=True).start()
                atexit.register(_kicks_drain, kicks)
                _kicker = (os.getpid(), kicks)
            kicker = _kicker
    return kicker[1]


def _kick_loop(kicks: queue.Queue) -> None:
    while True:
        batch = [kicks.get()]
        # What arrives within the linger (WIFLIGHT_NOTIFY_KICK_LINGER, 0.2 s) goes in the same
        # message: under load one publish serves many notifications instead of costing each
        # one about 3 ms of the web process's CPU; a quiet club's flight is processed 0.2 s later.
        deadline = time.monotonic() + settings.WIFLIGHT_NOTIFY_KICK_LINGER
        while len(batch) < KICK_BATCH:
            try:
                batch.append(kicks.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                break
        try:
            _kick_publish(*batch)
        finally:
            for _ in batch:
                kicks.task_done()


def _kicks_drain(kicks: queue.Queue | None = None) -> None:
    """Wait until the kicks handed over so far are published (a worker's exit, tests)."""
    kicks = kicks or (_kicker[1] if _kicker and _kicker[0] == os.getpid() else None)
    if kicks is not None:
        kicks.join()


def _kick_publish(*notification_pks: int) -> None:
    """One message: the task itself for one notification; for several (a burst), Celery's
    built-in starmap of it, which a worker runs one after the other (each idempotent)."""
    from integrations.wiflight.tasks import process_notification

    if not notification_pks:
        return
    try:
        if len(notification_pks) == 1:
            process_notification.delay(notification_pks[0])
        else:
            process_notification.starmap([(pk,) for pk in notification_pks]).delay()
    except Exception:  # noqa: BLE001 - broker down: the periodic sweep processes them
        log.warning("could not enqueue notifications %s; the sweep will process them", notification_pks, exc_info=True)


@system_entry_point("the worker that processes a stored notification")
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


@system_entry_point("the periodic sweep")
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


def notification_retry(*, actor: Membership, notification_id: int) -> bool:
    """An admin's "Retry" of a notification of their club whose processing failed."""
    require_capability(actor, "manage_integrations", "Only club admins retry notifications.")
    organization = actor.organization
    if not FlightNotification.objects.filter(pk=notification_id, organization=organization).exists():
        raise NotFound("notification_not_found", "No such notification.")
    with transaction.atomic():
        updated = FlightNotification.objects.filter(
            pk=notification_id, organization=organization, state=FlightNotification.State.FAILED).update(
            state=FlightNotification.State.RECEIVED, retry_at=None)
        if updated:
            audit_record(organization=organization, actor=actor.user, action="wiflight.notification_retry",
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


@system_entry_point("a read for ingest")
def reservation_target(*, organization_id: int, name: str) -> ReservationTarget:
    sync = ReservationSync.objects.filter(organization_id=organization_id, name=name).select_related("booking").first()
    if sync is None:
        return ReservationTarget(None, False)
    return ReservationTarget(sync.booking if sync.kind == ReservationSync.Kind.BOOKING else None,
                             sync.kind == ReservationSync.Kind.MAINTENANCE or sync.booking is not None)


@system_entry_point("a read for ingest")
def booking_by_time(*, aircraft: Aircraft, start, end) -> Booking | None:
    """Our own matching (reconciliation): same rule and tolerance as Wi-Flight's
    (docs/wiflight.md decision 3): overlap with the booking widened by the tolerance; the
    largest overlap, then the smallest gap, the shorter booking, the earlier start."""
    tolerance = timedelta(seconds=settings.WIFLIGHT_MATCH_TOLERANCE_SECONDS)
    ranked = booking_candidates(aircraft=aircraft, start=start, end=end, within=tolerance)
    return ranked[0] if ranked else None


@system_entry_point("a pure translation of a Wi-Flight document")
def detected_flight(document: FlightDocument, *, raw: str, source: str) -> DetectedFlight:
    return DetectedFlight(
        external_id=document.wiflight_id, tail=document.tail, start=document.start, length_seconds=document.length,
        engine_seconds=document.engine_seconds, airtime_seconds=document.airtime_seconds, source=source,
        headline=document.headline, crew_usernames=list(document.crew), raw_document=raw,
        events=[DetectedEvent(kind=e.kind, time=e.time, offset_seconds=e.offset, airport=e.airport)
                for e in document.events])


@system_entry_point("notification processing and reconciliation (the system)")
def flight_ingest(*, organization_id: int, document: FlightDocument, raw: str, reservation_name: str | None,
                  source: str) -> Flight:
    """Record the flight `document` describes, with the booking its reservation names (a
    notification) or, without a reservation (reconciliation), the booking its times match.
    A reservation name we do not know is kept on the flight for a dispatcher to assign."""
    organization = Organization.objects.get(pk=organization_id)
    aircraft = Aircraft.objects.filter(organization_id=organization_id, registration=document.tail).first()
    target = (reservation_target(organization_id=organization_id, name=reservation_name)
              if reservation_name else ReservationTarget(None, False))
    booking = target.booking
    if booking is None and reservation_name is None and aircraft is not None:
        booking = booking_by_time(aircraft=aircraft, start=document.start,
                                  end=document.start + timedelta(seconds=document.length))
    unmatched = reservation_name if reservation_name and not target.known else ""
    return flight_record_detected(organization=organization, detected=detected_flight(document, raw=raw, source=source),
                                  booking=booking, unmatched_reservation=unmatched)


# --- the track (network: never inside a transaction) -------------------------------------------

@system_entry_point("the track source flights.tracks asks, for a flight its page already checked")
def flight_track_request(flight: Flight) -> list[list[float]] | None:
    """The track source flights.tracks asks (registered in WiFlightConfig.ready()) when no track
    is stored yet: None after asking a worker to fetch it (a web request never waits for
    Wi-Flight: a long flight is many 600 s chunks), [] for a flight Wi-Flight cannot have."""
    if not WiFlightConnection.objects.filter(organization_id=flight.organization_id).exists():
        return []
    from integrations.wiflight.tasks import fetch_track

    try:
        fetch_track.delay(flight.pk)
    except Exception:  # noqa: BLE001 - broker down: the next page view asks again
        log.warning("could not enqueue the track fetch of flight %s", flight.pk, exc_info=True)
    return flight_track_stored(flight)  # eager Celery (tests, scripts) fetched it already


@system_entry_point("the worker that fetches a track")
def flight_track_fetch(*, flight_id: int, client_factory=None) -> list[list[float]]:
    """Fetch a track from Wi-Flight in 600 s chunks and store it (worker side; idempotent)."""
    flight = Flight.objects.get(pk=flight_id)
    cached = flight_track_stored(flight)
    if cached is not None:
        return cached
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


@system_entry_point("the playback link flights.tracks asks, for a flight its page already checked")
def flight_playback_link(user, flight: Flight) -> str:
    """Wi-Flight's playback of the flight, the member signed in through our OpenID provider
    (registered with flights.tracks in WiFlightConfig.ready())."""
    from openid_provider.links import playback_url
    from openid_provider.services import identity_url_for

    connection = WiFlightConnection.objects.filter(organization_id=flight.organization_id).first()
    if connection is None:
        return ""
    return playback_url(wiflight_base_url=connection.base_url, identity_url=identity_url_for(user),
                        flight_id=flight.wiflight_id)
