"""Linking a flight to a booking, or moving it to another one: a dispatcher's or an admin's act."""

from django.db import transaction

from clubs.changes import change_record
from clubs.models import Membership
from core.errors import Conflict, Invalid, NotFound
from dispatch.models import Booking
from flights.events import flight_payload
from flights.models import Flight, FlightCrew, LogbookEntry
from flights.policy import require_may_assign_flight
from flights.services.crew import flight_crew_sync
from flights.services.logbook import logbook_entries_for_check_in, logbook_entries_for_flight


def _require_booking_for(actor: Membership, flight: Flight, booking: Booking | None) -> None:
    """The booking a flight may be linked to: the actor's club, the flight's aircraft, not cancelled."""
    require_may_assign_flight(actor, flight)
    if booking is None or booking.organization_id != actor.organization_id:
        raise NotFound("booking_not_found", "No such booking.", field="booking")
    if booking.aircraft_id != flight.aircraft_id and booking.aircraft.registration != flight.tail:
        raise Invalid("booking_other_aircraft", "That booking is for another aircraft.", field="booking")
    if booking.status == Booking.Status.CANCELLED:
        raise Invalid("booking_cancelled", "That booking was cancelled.", field="booking")


def _rebuild_crew(flight: Flight, actor: Membership) -> None:
    FlightCrew.objects.filter(flight=flight, membership__isnull=False).delete()
    flight_crew_sync(flight)
    logbook_entries_for_flight(flight=flight, assigned_by=actor)


def flight_assign(*, actor: Membership, flight: Flight, booking: Booking) -> Flight:
    """A dispatcher or an admin links a flight without a booking to a booking of the same club
    and aircraft; the booking's flying crew get their flight log entries."""
    _require_booking_for(actor, flight, booking)
    with transaction.atomic():
        # Conditional: two dispatchers assigning the same flight at once cannot both win.
        if not Flight.objects.filter(pk=flight.pk, booking__isnull=True).update(booking=booking, unmatched_reservation=""):
            raise Conflict("flight_already_assigned", "This flight is already linked to a booking.")
        flight.refresh_from_db()
        _rebuild_crew(flight, actor)
        change_record(event="flight.assigned", organization=flight.organization, actor=actor, target=flight,
                      audit_action="wiflight.flight_assigned", payload=flight_payload(flight),
                      summary=f"Linked flight {flight.wiflight_id} to booking #{booking.pk}")
    return flight


def flight_reassign(*, actor: Membership, flight: Flight, booking: Booking) -> Flight:
    """Move a flight linked to the wrong booking (matched by time to the booking before, say)
    to the right one. The old booking's crew lose the entries the flight gave them unless they
    completed them or they were billed (a pilot's own words, or what was billed, are never
    thrown away); the new crew get theirs. Accounting bills both bookings again from the
    event's payload, which names the booking the flight left."""
    _require_booking_for(actor, flight, booking)
    previous_id = flight.booking_id
    if previous_id is None:
        raise Conflict("flight_not_assigned", "This flight is not linked to a booking yet: link it instead.")
    if previous_id == booking.pk:
        raise Invalid("booking_same", "The flight is already linked to that booking.", field="booking")
    with transaction.atomic():
        # Both bookings locked in id order, as billing and the flight log lock them, so a
        # check-in of either booking at this moment waits instead of deadlocking.
        list(Booking.objects.select_for_update().filter(pk__in=[previous_id, booking.pk]).order_by("pk"))
        # Conditional: of two dispatchers moving the same flight at once, the second finds it
        # no longer on the booking they saw, and is refused rather than moving it again.
        if not Flight.objects.filter(pk=flight.pk, booking_id=previous_id).update(booking=booking, unmatched_reservation=""):
            raise Conflict("flight_moved", "This flight was moved meanwhile: reload the page and try again.")
        flight.refresh_from_db()
        LogbookEntry.objects.filter(flight=flight, completed_at__isnull=True, billed_at__isnull=True).delete()
        _rebuild_crew(flight, actor)
        previous = Booking.objects.select_related("organization", "aircraft").get(pk=previous_id)
        # A checked-in booking keeps its crew's entries from the check-in, as if the flight had never come.
        logbook_entries_for_check_in(booking=previous, checked_in_by=actor)
        change_record(event="flight.assigned", organization=flight.organization, actor=actor, target=flight,
                      audit_action="wiflight.flight_reassigned",
                      payload=flight_payload(flight) | {"previous_booking_id": previous_id},
                      summary=f"Moved flight {flight.wiflight_id} from booking #{previous_id} to booking #{booking.pk}")
    return flight
