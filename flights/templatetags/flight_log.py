"""Flight-log pieces other apps' templates show (the my-bookings page) without their views
importing flights."""

from django import template

from flights.selectors import flights_without_booking, logbook_of

register = template.Library()


@register.simple_tag
def flight_log_recent(membership, count: int = 5):
    """The member's latest flight-log entries (from detected flights or check-ins)."""
    if membership is None:
        return []
    return list(logbook_of(membership)[:count])


@register.simple_tag
def flights_without_booking_count(membership) -> int:
    """For the club overview: how many flights wait to be linked (0 for who may not link them)."""
    return flights_without_booking(membership).count() if membership is not None else 0
