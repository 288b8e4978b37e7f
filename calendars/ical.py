"""Building the iCalendar documents of the feeds (RFC 5545) with icalendar 7.

Times are written in the club's zone (DTSTART;TZID=Europe/Paris:…) with the zone's
VTIMEZONE included, so a calendar app shows a booking at the club's wall-clock time whatever
its own zone, across daylight-saving changes. DTSTAMP and LAST-MODIFIED are UTC, as the RFC
asks. UIDs are stable (the booking's and the event's uid, the maintenance item's id), so a
changed booking moves in the subscriber's calendar instead of appearing twice."""

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from calendars.models import ClubEvent
from clubs.models import Membership, Organization
from dispatch.models import Aircraft, Booking

PRODID = "-//Flightline//Club calendar//EN"


def _host() -> str:
    return urlsplit(settings.PUBLIC_BASE_URL).hostname or "flightline.invalid"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(dt_timezone.utc)


def _wall_time(moment: datetime, tz) -> datetime:
    """The moment in the club's zone, or in UTC where the club's wall clock cannot say it:
    RFC 5545 (3.3.5) reads a local time that occurs twice (the hour repeated when summer time
    ends) as its first occurrence, so the second one is written in UTC."""
    local = moment.astimezone(tz)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return _utc(moment)
    return local


def _calendar(name: str, organization: Organization) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", organization.timezone)
    # Calendar apps that honour it fetch again hourly (Google decides for itself).
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    return cal


def _timed(uid: str, *, summary: str, start: datetime, end: datetime, tz, stamp: datetime, modified: datetime,
           location: str = "", description: str = "", url: str = "") -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp))
    event.add("last-modified", _utc(modified))
    event.add("summary", summary)
    event.add("dtstart", _wall_time(start, tz))
    event.add("dtend", _wall_time(end, tz))
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _page(name: str, organization: Organization, *args) -> str:
    return settings.PUBLIC_BASE_URL + reverse(name, args=[organization.slug, *args])


def _crew_line(booking: Booking) -> str:
    return ", ".join(f"{slot.membership.user.display_name} ({slot.get_role_display().lower()})"
                     for slot in booking.crew.all())


def booking_event(booking: Booking, *, stamp: datetime, membership: Membership | None = None) -> Event:
    """A booking as the member sees it (their role first) or as the aircraft's calendar does."""
    org, aircraft = booking.organization, booking.aircraft
    mine = next((slot for slot in booking.crew.all() if membership and slot.membership_id == membership.pk), None)
    what = f"{aircraft.registration} ({aircraft.aircraft_type})" if aircraft.aircraft_type else aircraft.registration
    summary = f"{what} · {mine.get_role_display()}" if mine else f"{aircraft.registration}: {_crew_line(booking) or 'booked'}"
    description = "\n".join(line for line in (
        f"Aircraft: {what}", f"Crew: {_crew_line(booking)}" if booking.crew.all() else "",
        f"Purpose: {booking.get_purpose_display()}", f"Status: {booking.get_status_display()}") if line)
    return _timed(f"{booking.uid}@{_host()}", summary=summary, start=booking.start, end=booking.end, tz=org.tz,
                  stamp=stamp, modified=booking.updated_at, location=aircraft.home_base, description=description,
                  url=_page("dispatch:booking", org, booking.pk))


def club_event(event: ClubEvent, *, stamp: datetime) -> Event:
    org = event.organization
    description = event.description
    if event.instructor_id:
        description = "\n".join(filter(None, [f"Instructor: {event.instructor.user.display_name}", description]))
    ics = _timed(f"{event.uid}@{_host()}", summary=event.title, start=event.start, end=event.end, tz=org.tz,
                 stamp=stamp, modified=event.updated_at, location=event.location, description=description)
    ics.add("categories", [event.get_kind_display()])
    return ics


def maintenance_due_event(item, aircraft: Aircraft, *, stamp: datetime) -> Event:
    """An item due by date, as an all-day event on its due date."""
    event = Event()
    event.add("uid", f"maintenance-item-{item.pk}@{_host()}")
    event.add("dtstamp", _utc(stamp))
    event.add("last-modified", _utc(item.updated_at))
    event.add("summary", f"{aircraft.registration}: {item.name} due")
    event.add("dtstart", item.next_due_on)
    event.add("dtend", item.next_due_on + timedelta(days=1))
    if aircraft.home_base:
        event.add("location", aircraft.home_base)
    event.add("categories", ["Maintenance"])
    event.add("transp", "TRANSPARENT")
    return event


def _finish(cal: Calendar, now: datetime) -> bytes:
    """The zone's VTIMEZONE with the transitions from the first event to the last (not the
    library's default 1970–2038: the feed stays small, and stays right past 2038)."""
    days = [now.date()]
    for event in cal.walk("VEVENT"):
        days += [event.decoded("DTSTART"), event.decoded("DTEND")]
    days = [d.date() if isinstance(d, datetime) else d for d in days]
    cal.add_missing_timezones(first_date=min(days) - timedelta(days=1), last_date=max(days) + timedelta(days=1))
    return cal.to_ical()


def member_calendar(membership: Membership, bookings, events, *, now: datetime) -> bytes:
    org = membership.organization
    cal = _calendar(f"{org.name}: {membership.user.display_name}", org)
    for booking in bookings:
        booking.organization = org
        cal.add_component(booking_event(booking, stamp=now, membership=membership))
    for event in events:
        event.organization = org
        cal.add_component(club_event(event, stamp=now))
    return _finish(cal, now)


def aircraft_calendar(aircraft: Aircraft, bookings, items, *, now: datetime) -> bytes:
    org = aircraft.organization
    cal = _calendar(f"{org.name}: {aircraft.registration}", org)
    for booking in bookings:
        booking.organization = org
        cal.add_component(booking_event(booking, stamp=now))
    for item in items:
        if item.next_due_on is not None:
            cal.add_component(maintenance_due_event(item, aircraft, stamp=now))
    return _finish(cal, now)
