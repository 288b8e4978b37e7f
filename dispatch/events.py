"""The payloads of the dispatch app's change events (docs/events.md lists them)."""

from dispatch.models import Aircraft, Booking


def aircraft_payload(aircraft: Aircraft) -> dict:
    return {"id": aircraft.pk, "registration": aircraft.registration, "type": aircraft.aircraft_type,
            "kind": aircraft.kind, "status": aircraft.status, "grounded_reason": aircraft.grounded_reason}


def booking_payload(booking: Booking) -> dict:
    return {"id": booking.pk, "uid": str(booking.uid), "aircraft_id": booking.aircraft_id,
            "start": booking.start.isoformat(), "end": booking.end.isoformat(), "status": booking.status,
            "purpose": booking.purpose}
