"""Flights coming back from a flight data recorder: record one (a system entry point, called by
an integration with no member behind it) and link a flight without a booking to one (a
dispatcher's or an admin's act).

Both are database only and run in one transaction each; every write passes the change path
(clubs.changes): `flight.detected`, `flight.assigned`, and the flight log's own events.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction

from clubs.changes import change_record
from clubs.models import Membership, Organization
from core.errors import Conflict, Invalid, NotFound
from dispatch.models import Aircraft, Booking, BookingCrew
from flights.models import Flight, FlightCrew, FlightEvent
from flights.policy import require_may_assign_flight
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


def flight_payload(flight: Flight) -> dict:
    return {"id": flight.pk, "external_id": flight.wiflight_id, "aircraft_id": flight.aircraft_id, "tail": flight.tail,
            "start": flight.start.isoformat(), "length_seconds": flight.length_seconds,
            "booking_id": flight.booking_id, "source": flight.source}


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
        if created:
            change_record(event="flight.detected", organization=organization, actor=None, target=flight,
                          summary=f"Flight {flight.tail} {flight.start:%Y-%m-%d %H:%M} detected ({flight.source})",
                          payload=flight_payload(flight))
        if booking is not None and flight.booking_id is None:
            if Flight.objects.filter(pk=flight.pk, booking__isnull=True).update(booking=booking, unmatched_reservation=""):
                flight.refresh_from_db()
                if not created:
                    change_record(event="flight.assigned", organization=organization, actor=None, target=flight,
                                  summary=f"Flight {flight.wiflight_id} matched to booking #{booking.pk}",
                                  payload=flight_payload(flight))
        elif unmatched_reservation and flight.booking_id is None and not flight.unmatched_reservation:
            Flight.objects.filter(pk=flight.pk).update(unmatched_reservation=unmatched_reservation[:200])
            flight.refresh_from_db()
        _crew(flight)
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


def _crew(flight: Flight) -> None:
    """The booking's crew (with their roles), plus the members the recorder named; names we
    do not know are kept without a membership."""
    wanted: dict[int, tuple[str, str]] = {}
    if flight.booking_id:
        for slot in BookingCrew.objects.filter(booking_id=flight.booking_id).select_related("membership"):
            wanted[slot.membership_id] = (slot.membership.wiflight_username, slot.role)
    reported = list(flight.reported_crew or [])
    members = {m.wiflight_username: m for m in Membership.objects.filter(
        organization_id=flight.organization_id, wiflight_username__in=reported)}
    unknown = []
    for name in reported:
        if name in members:
            wanted.setdefault(members[name].pk, (name, ""))
        else:
            unknown.append(name)
    have = set(FlightCrew.objects.filter(flight=flight, membership__isnull=False).values_list("membership_id", flat=True))
    FlightCrew.objects.bulk_create([FlightCrew(flight=flight, membership_id=pk, wiflight_username=name, role=role)
                                    for pk, (name, role) in wanted.items() if pk not in have], ignore_conflicts=True)
    known_names = set(FlightCrew.objects.filter(flight=flight, membership__isnull=True)
                      .values_list("wiflight_username", flat=True))
    FlightCrew.objects.bulk_create([FlightCrew(flight=flight, wiflight_username=n) for n in unknown if n not in known_names])


def flight_assign(*, actor: Membership, flight: Flight, booking: Booking) -> Flight:
    """A dispatcher or an admin links a flight without a booking to a booking of the same club
    and aircraft; the booking's flying crew get their flight log entries."""
    require_may_assign_flight(actor, flight)
    if booking is None or booking.organization_id != actor.organization_id:
        raise NotFound("booking_not_found", "No such booking.", field="booking")
    if booking.aircraft_id != flight.aircraft_id and booking.aircraft.registration != flight.tail:
        raise Invalid("booking_other_aircraft", "That booking is for another aircraft.", field="booking")
    if booking.status == Booking.Status.CANCELLED:
        raise Invalid("booking_cancelled", "That booking was cancelled.", field="booking")
    with transaction.atomic():
        # Conditional: two dispatchers assigning the same flight at once cannot both win.
        if not Flight.objects.filter(pk=flight.pk, booking__isnull=True).update(booking=booking, unmatched_reservation=""):
            raise Conflict("flight_already_assigned", "This flight is already linked to a booking.")
        flight.refresh_from_db()
        FlightCrew.objects.filter(flight=flight, membership__isnull=False).delete()
        _crew(flight)
        logbook_entries_for_flight(flight=flight, actor=actor)
        change_record(event="flight.assigned", organization=flight.organization, actor=actor, target=flight,
                      audit_action="wiflight.flight_assigned", payload=flight_payload(flight),
                      summary=f"Linked flight {flight.wiflight_id} to booking #{booking.pk}")
    return flight
