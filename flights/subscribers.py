"""What the flights app does with other apps' change events (registered in FlightsConfig.ready())."""

from clubs.changes import Change
from flights.services.logbook import logbook_entries_for_check_in


def booking_completed(change: Change) -> None:
    """A checked-in booking: its flying crew's flight-log entries, unless its flights gave them."""
    logbook_entries_for_check_in(booking=change.target, checked_in_by=change.actor)
