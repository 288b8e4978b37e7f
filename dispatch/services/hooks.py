"""The one place every booking state change passes through, inside its transaction: the
change path (clubs.changes) writes the audit entry and hands the event to its subscribers
(the Wi-Flight sync, the flight log at check-in, webhooks next)."""

from clubs.changes import change_record
from clubs.models import Membership
from dispatch.models import Aircraft, Booking


def aircraft_payload(aircraft: Aircraft) -> dict:
    return {"id": aircraft.pk, "registration": aircraft.registration, "type": aircraft.aircraft_type,
            "kind": aircraft.kind, "status": aircraft.status, "grounded_reason": aircraft.grounded_reason}


def booking_payload(booking: Booking) -> dict:
    return {"id": booking.pk, "uid": str(booking.uid), "aircraft_id": booking.aircraft_id,
            "start": booking.start.isoformat(), "end": booking.end.isoformat(), "status": booking.status,
            "purpose": booking.purpose}


def booking_changed(*, booking: Booking, actor: Membership | None, action: str, summary: str, details=None) -> None:
    change_record(event=action, organization=booking.organization, actor=actor, target=booking, summary=summary,
                  details=details, payload=booking_payload(booking))
