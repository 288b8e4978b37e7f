"""The one place every booking state change passes through, inside its transaction.

Today it writes the audit entry. The Wi-Flight reservation sync (an outbox row in the same
transaction) and webhooks hang here, so no write path can forget them.
"""

from dispatch.models import Booking
from portal.audit import audit_record
from portal.models import Membership


def booking_changed(*, booking: Booking, actor: Membership | None, action: str, summary: str, details=None) -> None:
    audit_record(
        organization=booking.organization,
        actor=actor.user if actor is not None else None,
        action=action,
        target=booking,
        summary=summary,
        details=details,
    )
