"""What accounting does with other apps' change events (registered in AccountingConfig.ready()):
a fact about a flown booking bills it, or bills it again."""

from accounting.services.charges import booking_bill
from clubs.changes import Change


def bill_booking_of(change: Change) -> None:
    """A check-in (or its correction) names the booking; a detected or assigned flight names
    it in its payload, and a flight moved between bookings names the one it left too."""
    payload = change.payload
    if change.event.startswith("booking."):
        booking_ids = [change.target.pk]
    else:
        booking_ids = [payload.get("booking_id"), payload.get("previous_booking_id")]
    for booking_id in sorted({b for b in booking_ids if b}):
        booking_bill(booking_id=booking_id, actor=change.actor)
