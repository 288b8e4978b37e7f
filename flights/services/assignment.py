"""Linking a flight without a booking to one: a dispatcher's or an admin's act."""

from django.db import transaction

from clubs.changes import change_record
from clubs.models import Membership
from core.errors import Conflict, Invalid, NotFound
from dispatch.models import Booking
from flights.events import flight_payload
from flights.models import Flight, FlightCrew
from flights.policy import require_may_assign_flight
from flights.services.crew import flight_crew_sync
from flights.services.logbook import logbook_entries_for_flight


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
        flight_crew_sync(flight)
        logbook_entries_for_flight(flight=flight, assigned_by=actor)
        change_record(event="flight.assigned", organization=flight.organization, actor=actor, target=flight,
                      audit_action="wiflight.flight_assigned", payload=flight_payload(flight),
                      summary=f"Linked flight {flight.wiflight_id} to booking #{booking.pk}")
    return flight
