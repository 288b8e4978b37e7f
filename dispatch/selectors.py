"""Reads for the dispatch board and booking lists. Query counts do not grow with the data:
the board is three queries whatever the size of the fleet or the schedule."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from clubs.models import Membership, Organization
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services.rules import MAX_BOOKING, inactive_crew


def crew_prefetch() -> Prefetch:
    return Prefetch("crew", queryset=BookingCrew.objects.select_related("membership__user").order_by("role"))


def local_midnight(day: date, tz) -> datetime:
    """Local midnight, in UTC. Aware datetimes sharing one zoneinfo subtract and add as wall
    clock times in Python, so all board arithmetic is done in UTC to stay true across DST."""
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(dt_timezone.utc)


@dataclass
class BoardBlock:
    booking: Booking
    left: float
    width: float
    at_risk: bool
    label: str
    risk: str = ""  # why it is at risk, said on the board


@dataclass
class BoardRow:
    aircraft: Aircraft
    blocks: list[BoardBlock] = field(default_factory=list)


@dataclass
class BoardTick:
    at: datetime
    left: float
    width: float
    label: str


@dataclass
class Board:
    start: datetime
    end: datetime
    view: str
    rows: list[BoardRow]
    ticks: list[BoardTick]
    now_left: float | None


def _percent(moment: datetime, start: datetime, end: datetime) -> float:
    span = (end - start).total_seconds()
    return max(0.0, min(100.0, (moment - start).total_seconds() / span * 100))


def _ticks(start: datetime, end: datetime, view: str, tz) -> list[BoardTick]:
    """Hour ticks for a day, day ticks for a week. Stepping in UTC and labelling in local time
    keeps the scale true on daylight-saving days (23 or 25 hours)."""
    ticks = []
    if view == "day":
        moment = start
        while moment < end:
            nxt = moment + timedelta(hours=1)
            ticks.append(BoardTick(moment, _percent(moment, start, end), _percent(nxt, start, end) - _percent(moment, start, end),
                                   timezone.localtime(moment, tz).strftime("%H:%M")))
            moment = nxt
    else:
        day = timezone.localtime(start, tz).date()
        for _ in range(7):
            a, b = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
            ticks.append(BoardTick(a, _percent(a, start, end), _percent(b, start, end) - _percent(a, start, end),
                                   timezone.localtime(a, tz).strftime("%a %d %b")))
            day += timedelta(days=1)
    return ticks


def board_window(day: date, view: str, tz) -> tuple[datetime, datetime]:
    if view == "week":
        first = day - timedelta(days=day.weekday())
        return local_midnight(first, tz), local_midnight(first + timedelta(days=7), tz)
    return local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)


def board_for(*, organization: Organization, day: date, view: str) -> Board:
    tz = organization.tz
    start, end = board_window(day, view, tz)
    aircraft = list(Aircraft.objects.filter(organization=organization).order_by("kind", "registration"))
    bookings = (
        Booking.objects.filter(organization=organization, start__lt=end, end__gt=start,
                               start__gte=start - MAX_BOOKING)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("wiflight_sync")
        .prefetch_related(crew_prefetch())
        .order_by("start")
    )
    rows = {a.pk: BoardRow(a) for a in aircraft}
    now = timezone.now()
    for booking in bookings:
        row = rows.get(booking.aircraft_id)
        if row is None:
            continue
        left = _percent(booking.start, start, end)
        width = max(_percent(booking.end, start, end) - left, 0.5)
        risk = _risk(row.aircraft, booking) if booking.status == Booking.Status.BOOKED and booking.end > now else ""
        names = ", ".join(c.membership.user.display_name for c in booking.crew.all())
        row.blocks.append(BoardBlock(booking, left, width, bool(risk), names or "Booked", risk))
    now_left = _percent(now, start, end) if start <= now < end else None
    return Board(start, end, view, list(rows.values()), _ticks(start, end, view, tz), now_left)


def _risk(aircraft: Aircraft, booking: Booking) -> str:
    """Why a booking still to fly cannot go as booked (from the prefetched crew)."""
    if aircraft.is_grounded:
        return "aircraft grounded"
    gone = [m.user.display_name for m in inactive_crew(booking)]
    return f"{', '.join(gone)} no longer an active member" if gone else ""


def bookings_of_member(membership: Membership) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(crew__membership=membership)
        .select_related("aircraft")
        .prefetch_related(crew_prefetch())
        .distinct()
    )


def upcoming_bookings_of_member(membership: Membership) -> QuerySet[Booking]:
    return (
        bookings_of_member(membership)
        .filter(end__gte=timezone.now())
        .exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.COMPLETED])
        .order_by("start")
    )
