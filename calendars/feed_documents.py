"""What a feed holds: a member's bookings and the club's events, or an aircraft's bookings
and the dates its maintenance falls due."""

from datetime import datetime

from calendars import ical, selectors
from calendars.models import CalendarFeed
from maintenance.selectors import aircraft_maintenance


def feed_document(feed: CalendarFeed, *, now: datetime) -> bytes:
    if feed.membership is not None:
        m = feed.membership
        return ical.member_calendar(m, selectors.member_feed_bookings(m, now), selectors.member_feed_events(m, now),
                                    now=now)
    aircraft = feed.aircraft
    aircraft.organization = feed.organization
    items = [standing.item for standing in aircraft_maintenance(aircraft).items]
    return ical.aircraft_calendar(aircraft, selectors.aircraft_feed_bookings(aircraft, now), items, now=now)
