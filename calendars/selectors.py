"""Reads for the calendar's pages, the board and the feeds."""

from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from calendars.models import CalendarFeed, ClubEvent
from clubs.models import Membership, Organization
from dispatch.models import Aircraft, Booking, BookingCrew

# How far a member's or an aircraft's feed reaches: calendar apps keep what they fetched, so
# the recent past is enough to see what was flown; a year ahead covers any booking horizon.
FEED_PAST = timedelta(days=90)
FEED_AHEAD = timedelta(days=366)


def events_between(organization: Organization, start: datetime, end: datetime) -> QuerySet[ClubEvent]:
    """The club's events (not cancelled) overlapping [start, end)."""
    return (ClubEvent.objects.filter(organization=organization, cancelled_at__isnull=True, start__lt=end, end__gt=start)
            .select_related("instructor__user").order_by("start", "pk"))


def upcoming_events(organization: Organization) -> QuerySet[ClubEvent]:
    return (ClubEvent.objects.filter(organization=organization, cancelled_at__isnull=True, end__gt=timezone.now())
            .select_related("instructor__user").order_by("start", "pk"))


def _feed_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now - FEED_PAST, now + FEED_AHEAD


def _crew_names() -> Prefetch:
    return Prefetch("crew", queryset=BookingCrew.objects.select_related("membership__user").order_by("role", "pk"))


def member_feed_bookings(membership: Membership, now: datetime | None = None) -> QuerySet[Booking]:
    """The member's bookings in the feed's window, not cancelled, with aircraft and crew."""
    start, end = _feed_window(now)
    return (Booking.objects.filter(organization=membership.organization, crew__membership=membership,
                                   start__lt=end, end__gt=start)
            .exclude(status=Booking.Status.CANCELLED).select_related("aircraft")
            .prefetch_related(_crew_names()).distinct().order_by("start", "pk"))


def member_feed_events(membership: Membership, now: datetime | None = None) -> QuerySet[ClubEvent]:
    start, end = _feed_window(now)
    return events_between(membership.organization, start, end)


def aircraft_feed_bookings(aircraft: Aircraft, now: datetime | None = None) -> QuerySet[Booking]:
    start, end = _feed_window(now)
    return (Booking.objects.filter(aircraft=aircraft, start__lt=end, end__gt=start)
            .exclude(status=Booking.Status.CANCELLED).select_related("aircraft")
            .prefetch_related(_crew_names()).order_by("start", "pk"))


def live_feed_of(*, membership: Membership | None = None, aircraft: Aircraft | None = None) -> CalendarFeed | None:
    owner = {"membership": membership} if membership is not None else {"aircraft": aircraft}
    return CalendarFeed.objects.filter(revoked_at__isnull=True, **owner).first()


def live_aircraft_feeds(organization: Organization, user) -> dict[int, CalendarFeed]:
    """The aircraft feeds this person subscribes to: each subscriber has their own address."""
    feeds = CalendarFeed.objects.filter(organization=organization, aircraft__isnull=False, revoked_at__isnull=True,
                                        created_by=user)
    return {feed.aircraft_id: feed for feed in feeds}
