"""The one place every booking state change passes through, inside its transaction: the
change path (clubs.changes) writes the audit entry and hands the event to its subscribers
(the Wi-Flight sync, the flight log at check-in, webhooks next)."""

from clubs.changes import change_record
from clubs.models import Membership
from dispatch.events import booking_payload
from dispatch.models import Booking


def booking_changed(*, booking: Booking, actor: Membership | None, action: str, summary: str, details=None) -> None:
    change_record(event=action, organization=booking.organization, actor=actor, target=booking, summary=summary,
                  details=details, payload=booking_payload(booking))
