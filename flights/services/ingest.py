"""Flights coming back from a flight data recorder: record one. A system entry point, called
by an integration with no member behind it (Wi-Flight's notifications and reconciliation).

Database only, one transaction; every write passes the change path (clubs.changes):
`flight.detected`, `flight.assigned` (a later report matched a booking), the flight log's own.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction

from clubs.changes import change_record
from clubs.models import Organization
from core.entry_points import system_entry_point
from core.errors import NotFound
from dispatch.models import Aircraft, Booking
from flights.events import flight_payload
from flights.models import Flight, FlightEvent
from flights.services.crew import flight_crew_sync
from flights.services.logbook import logbook_entries_for_flight


@dataclass(frozen=True)
class DetectedEvent:
    kind: str
    time: datetime | None
    offset_seconds: int | None
    airport: str = ""


@dataclass(frozen=True)
class DetectedFlight:
    """A flight as any source reports it; the integration translates its own format."""

    external_id: str
    tail: str
    start: datetime
    length_seconds: int
    engine_seconds: int
    airtime_seconds: int
    source: str
    headline: str = ""
    events: list[DetectedEvent] = field(default_factory=list)
    crew_usernames: list[str] = field(default_factory=list)
    raw_document: str = ""


@system_entry_point("an integration reports a flight its recorder detected; no member acts")
def flight_record_detected(*, organization: Organization, detected: DetectedFlight, booking: Booking | None = None,
                           unmatched_reservation: str = "") -> Flight:
    """System entry point (no member acts): create or complete the flight `detected`
    describes, linked to `booking` when the source matched one. Safe to repeat: the flight
    is unique per club (the constraint settles two racing ingests), a booking once linked
    stays linked, and log entries are unique per (flight, member).

    `unmatched_reservation`: a reservation name the source gave that we cannot place, kept
    for a dispatcher to see while assigning the flight."""
    if booking is not None and booking.organization_id != organization.pk:
        raise NotFound("booking_not_found", "No such booking.", field="booking")
    with transaction.atomic():
        flight, created = _flight_row(organization, detected)
        linked = False
        if booking is not None and flight.booking_id is None:
            linked = bool(Flight.objects.filter(pk=flight.pk, booking__isnull=True)
                          .update(booking=booking, unmatched_reservation=""))
        elif unmatched_reservation and flight.booking_id is None and not flight.unmatched_reservation:
            Flight.objects.filter(pk=flight.pk).update(unmatched_reservation=unmatched_reservation[:200])
        flight.refresh_from_db()
        # After linking, so the event's payload names the booking the flight landed on.
        if created:
            change_record(event="flight.detected", organization=organization, actor=None, target=flight,
                          summary=f"Flight {flight.tail} {flight.start:%Y-%m-%d %H:%M} detected ({flight.source})",
                          payload=flight_payload(flight))
        elif linked:
            change_record(event="flight.assigned", organization=organization, actor=None, target=flight,
                          summary=f"Flight {flight.wiflight_id} matched to booking #{booking.pk}",
                          payload=flight_payload(flight))
        flight_crew_sync(flight)
        if flight.booking_id is not None:
            logbook_entries_for_flight(flight=flight)
    return flight


def _flight_row(organization: Organization, detected: DetectedFlight) -> tuple[Flight, bool]:
    existing = Flight.objects.filter(organization=organization, wiflight_id=detected.external_id).first()
    if existing is not None:
        return existing, False
    aircraft = Aircraft.objects.filter(organization=organization, registration=detected.tail).first()
    try:
        with transaction.atomic():
            flight = Flight.objects.create(
                organization=organization, wiflight_id=detected.external_id, aircraft=aircraft, tail=detected.tail,
                start=detected.start, length_seconds=detected.length_seconds, engine_seconds=detected.engine_seconds,
                airtime_seconds=min(detected.airtime_seconds, detected.length_seconds), headline=detected.headline,
                reported_crew=list(detected.crew_usernames), raw_document=detected.raw_document, source=detected.source)
    except IntegrityError:  # another ingest of the same flight committed first
        return Flight.objects.get(organization=organization, wiflight_id=detected.external_id), False
    FlightEvent.objects.bulk_create([
        FlightEvent(flight=flight, kind=e.kind, time=e.time, offset_seconds=e.offset_seconds, airport=e.airport)
        for e in detected.events])
    return flight, True


