"""The one place every booking state change passes through, inside its transaction.

It writes the audit entry and marks the Wi-Flight reservation for sync (a queue row in the
same transaction: nothing is lost if Wi-Flight or the broker is down). Webhooks will hang
here too, so no write path can forget them.
"""

from dispatch.models import Booking
from clubs.audit import audit_record
from integrations.wiflight.services import reservation_sync_booking
from clubs.models import Membership


def booking_changed(*, booking: Booking, actor: Membership | None, action: str, summary: str, details=None) -> None:
    audit_record(
        organization=booking.organization,
        actor=actor.user if actor is not None else None,
        action=action,
        target=booking,
        summary=summary,
        details=details,
    )
    reservation_sync_booking(booking)
