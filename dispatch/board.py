"""The dispatch board: which window of time it frames, the bookings on it, the empty slots
one can book, and the next free slot of each aircraft. Query counts do not grow with the
data: aircraft, bookings and their crew (plus instructors and their hours when the club shows
instructor rows), whatever the size of the fleet or the schedule.

All arithmetic is done on UTC instants: aware datetimes sharing one zoneinfo subtract and add
as wall-clock times in Python, which is wrong on daylight-saving days (23 or 25 hours)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone

from django.utils import timezone

from clubs.models import Membership, Organization
from dispatch.models import Aircraft, Booking, BookingCrew, InstructorAvailability
from dispatch.selectors import crew_prefetch, local_midnight
from dispatch.services.rules import MAX_BOOKING, inactive_crew

VIEWS = ("day", "week", "agenda")
# The narrowest a day-view block is drawn, in percent of the frame: wide enough for
# "✓ 09:00–09:30" at the board's minimum width (1200 px). Blocks that would then touch go in lanes.
MIN_BLOCK_PERCENT = 9.0
TEACHING_ROLES = (BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR)


@dataclass
class BoardBlock:
    booking: Booking
    left: float
    width: float
    at_risk: bool
    label: str
    risk: str = ""  # why it is at risk, said on the board
    lane: int = 0
    first: bool = True  # the first of the week's day cells a booking shows in carries its id
    linkable: bool = False


@dataclass
class Shade:
    """An instructor's available hours, drawn behind their row."""
    left: float
    width: float
    start: datetime
    end: datetime


@dataclass
class DayCell:
    """One day of one row in the week view: its bookings as cards, not to scale."""
    day: date
    blocks: list[BoardBlock] = field(default_factory=list)
    shades: list[Shade] = field(default_factory=list)
    free: datetime | None = None  # the next free slot that day (today and later)


@dataclass
class BoardRow:
    aircraft: Aircraft | None = None
    instructor: Membership | None = None
    blocks: list[BoardBlock] = field(default_factory=list)
    shades: list[Shade] = field(default_factory=list)
    cells: list[DayCell] = field(default_factory=list)  # week view: one per day
    teaching: list[Booking] = field(default_factory=list)  # an instructor's bookings, before placing
    lanes: int = 1
    next_free: datetime | None = None
    # What the apps above dispatch say of this aircraft on the board (maintenance: an
    # inspection due soon or overdue): [{"level": "due_soon"|"due"|"overdue", "text": str}].
    notes: list[dict] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"ac-{self.aircraft.pk}" if self.aircraft else f"in-{self.instructor.pk}"

    @property
    def bookable(self) -> bool:
        return self.aircraft is not None and not self.aircraft.is_grounded


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
    day: date
    rows: list[BoardRow]
    ticks: list[BoardTick]
    now_left: float | None
    step: timedelta
    length: timedelta
    days: list[date] = field(default_factory=list)
    agenda: list[BoardBlock] = field(default_factory=list)
    now: datetime | None = None


def busy_until(booking: Booking, now: datetime) -> datetime:
    """Until when a booking keeps its aircraft: an aircraft still checked out after its booked
    end is not back, so it stays taken until it is checked in (at least until now)."""
    if booking.status == Booking.Status.DISPATCHED:
        return max(booking.end, now)
    return booking.end


def percent(moment: datetime, start: datetime, end: datetime) -> float:
    span = (end - start).total_seconds()
    return max(0.0, min(100.0, (moment - start).total_seconds() / span * 100))


def at_local(day: date, clock: time, tz) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz).astimezone(dt_timezone.utc)


def ceil_to_step(moment: datetime, tz, step: timedelta) -> datetime:
    """The first step boundary (on the local wall clock, counted from the hour) at or after
    `moment`. Steps divide an hour, so the minute within the hour says how far past we are."""
    moment = moment.astimezone(dt_timezone.utc)
    local = moment.astimezone(tz)
    past = timedelta(minutes=local.minute % int(step.total_seconds() // 60), seconds=local.second,
                     microseconds=local.microsecond)
    return moment if not past else moment - past + step


def _hour_floor(moment: datetime, tz) -> datetime:
    moment = moment.astimezone(dt_timezone.utc)
    local = moment.astimezone(tz)
    return moment - timedelta(minutes=local.minute, seconds=local.second, microseconds=local.microsecond)


def day_frame(day: date, organization: Organization, bookings=()) -> tuple[datetime, datetime]:
    """The day view's window: the club's operating hours, widened to whole hours and to
    take in any booking of that day that lies partly or wholly outside them (never beyond
    the day itself: a booking over midnight is pinned at the edge with its real times)."""
    tz = organization.tz
    midnight, next_midnight = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
    start = at_local(day, organization.day_starts, tz)
    end = at_local(day, organization.day_ends, tz)
    for booking in bookings:
        if booking.start < next_midnight and booking.end > midnight:
            start, end = min(start, booking.start), max(end, booking.end)
    start, end = _hour_floor(start, tz), ceil_to_step(end, tz, timedelta(hours=1))
    return max(start, midnight), min(end, next_midnight)


def board_window(day: date, view: str, tz) -> tuple[datetime, datetime]:
    """What the query fetches: the whole local day, or the week from Monday."""
    if view == "week":
        first = day - timedelta(days=day.weekday())
        return local_midnight(first, tz), local_midnight(first + timedelta(days=7), tz)
    return local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)


def _hour_ticks(start: datetime, end: datetime, tz) -> list[BoardTick]:
    """Hour ticks stepped in UTC and labelled in local time: true on daylight-saving days."""
    ticks, moment = [], start
    while moment < end:
        nxt = min(moment + timedelta(hours=1), end)
        left = percent(moment, start, end)
        ticks.append(BoardTick(moment, left, percent(nxt, start, end) - left, timezone.localtime(moment, tz).strftime("%H:%M")))
        moment = nxt
    return ticks


def next_free_slot(bookings: list[Booking], *, organization: Organization, day: date,
                   now: datetime) -> datetime | None:
    """The first start, on the step grid and within operating hours of `day`, from which the
    aircraft is free for the club's default booking length: from now if `day` is today (or
    past), from the start of operating hours if it is a future day. None if the day is full.
    `bookings`: the aircraft's active bookings overlapping the day."""
    tz = organization.tz
    step = timedelta(minutes=organization.booking_step_minutes)
    length = timedelta(minutes=organization.default_booking_minutes)
    opens, closes = at_local(day, organization.day_starts, tz), at_local(day, organization.day_ends, tz)
    candidate = ceil_to_step(max(opens, now), tz, step)  # in UTC from here on
    for booking in sorted(bookings, key=lambda b: b.start):
        until = busy_until(booking, now)
        if until <= candidate:
            continue
        if booking.start >= candidate + length:
            break
        candidate = ceil_to_step(until, tz, step)
    return candidate if candidate + length <= closes else None


def _lanes(blocks: list[BoardBlock]) -> int:
    """Give each block the first lane where it does not touch the one before (as drawn, with
    its minimum width); return how many lanes the row needs."""
    ends: list[float] = []
    for block in blocks:
        for lane, right in enumerate(ends):
            if block.left >= right:
                block.lane, ends[lane] = lane, block.left + block.width
                break
        else:
            block.lane = len(ends)
            ends.append(block.left + block.width)
    return max(1, len(ends))


def _risk(aircraft: Aircraft, booking: Booking) -> str:
    """Why a booking still to fly cannot go as booked (from the prefetched crew)."""
    if aircraft.is_grounded:
        return "aircraft grounded"
    gone = [m.user.display_name for m in inactive_crew(booking)]
    return f"{', '.join(gone)} no longer an active member" if gone else ""


def _crew_names(booking: Booking) -> str:
    return ", ".join(c.membership.user.display_name for c in booking.crew.all()) or "Booked"


def _block(booking: Booking, aircraft: Aircraft | None, start: datetime, end: datetime, now: datetime) -> BoardBlock:
    left = percent(booking.start, start, end)
    width = max(percent(booking.end, start, end) - left, MIN_BLOCK_PERCENT)
    left = min(left, 100 - width)  # a short booking at the frame's end stays inside it
    still_to_fly = booking.status == Booking.Status.BOOKED and booking.end > now
    risk = _risk(aircraft, booking) if aircraft is not None and still_to_fly else ""
    return BoardBlock(booking, left, width, bool(risk), _crew_names(booking), risk)


def _fetch_bookings(organization: Organization, start: datetime, end: datetime) -> list[Booking]:
    return list(
        Booking.objects.filter(organization=organization, start__lt=end, end__gt=start,
                               start__gte=start - MAX_BOOKING)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("wiflight_sync", "aircraft")
        .prefetch_related(crew_prefetch())
        .order_by("start")
    )


def _instructor_rows(organization: Organization, bookings: list[Booking], start: datetime,
                     end: datetime) -> list[BoardRow]:
    instructors = (Membership.objects.filter(organization=organization, is_instructor=True, is_active=True)
                   .select_related("user").order_by("user__full_name", "pk"))
    rows = {m.pk: BoardRow(instructor=m) for m in instructors}
    hours = InstructorAvailability.objects.filter(organization=organization, instructor_id__in=list(rows),
                                                  start__lt=end, end__gt=start)
    for slot in hours:
        left = percent(slot.start, start, end)
        rows[slot.instructor_id].shades.append(Shade(left, percent(slot.end, start, end) - left, slot.start, slot.end))
    for booking in bookings:
        for crew in booking.crew.all():
            if crew.role in TEACHING_ROLES and crew.membership_id in rows:
                rows[crew.membership_id].teaching.append(booking)
    return list(rows.values())


def board_for(*, organization: Organization, day: date, view: str, now: datetime | None = None) -> Board:
    tz = organization.tz
    now = now or timezone.now()
    window_start, window_end = board_window(day, view, tz)
    bookings = _fetch_bookings(organization, window_start, window_end)
    if view == "week":
        start, end = window_start, window_end
    else:
        start, end = day_frame(day, organization, bookings)
    aircraft = list(Aircraft.objects.in_service().filter(organization=organization).order_by("kind", "registration"))
    rows = [BoardRow(aircraft=a) for a in aircraft]
    by_aircraft: dict[int, list[Booking]] = {a.pk: [] for a in aircraft}
    for booking in bookings:
        if booking.aircraft_id in by_aircraft:
            by_aircraft[booking.aircraft_id].append(booking)
    if organization.show_instructor_rows and view != "agenda":
        instructor_rows = _instructor_rows(organization, bookings, start, end)
    else:
        instructor_rows = []
    board = Board(start, end, view, day, rows + instructor_rows, [], None,
                  timedelta(minutes=organization.booking_step_minutes),
                  timedelta(minutes=organization.default_booking_minutes), now=now)
    today = timezone.localtime(now, tz).date()
    if view == "week":
        _place_week(board, by_aircraft, organization, now)
        for row in rows:
            for cell in row.cells if row.bookable else ():
                if cell.day >= today:
                    cell.free = next_free_slot(by_aircraft[row.aircraft.pk], organization=organization, day=cell.day, now=now)
    elif view == "agenda":
        board.agenda = [_block(b, b.aircraft, start, end, now) for b in bookings if b.aircraft_id in by_aircraft]
    else:
        _place_day(board, by_aircraft, organization, now)
    target = max(day, today)
    if window_start <= at_local(target, time(12), tz) < window_end:
        for row in rows:
            if row.bookable:
                row.next_free = next_free_slot(by_aircraft[row.aircraft.pk], organization=organization,
                                               day=target, now=now)
    return board


def _place_day(board: Board, by_aircraft: dict, organization: Organization, now: datetime) -> None:
    for row in board.rows:
        if row.aircraft is not None:
            row.blocks = [_block(b, row.aircraft, board.start, board.end, now) for b in by_aircraft[row.aircraft.pk]]
        else:
            row.blocks = [_block(b, None, board.start, board.end, now) for b in row.teaching]
        row.lanes = _lanes(row.blocks)
    board.ticks = _hour_ticks(board.start, board.end, organization.tz)
    board.now_left = percent(now, board.start, board.end) if board.start <= now < board.end else None


def _place_week(board: Board, by_aircraft: dict, organization: Organization, now: datetime) -> None:
    tz = organization.tz
    first = timezone.localtime(board.start, tz).date()
    board.days = [first + timedelta(days=d) for d in range(7)]
    bounds = [(local_midnight(d, tz), local_midnight(d + timedelta(days=1), tz)) for d in board.days]
    for a, b in bounds:
        left = percent(a, board.start, board.end)
        board.ticks.append(BoardTick(a, left, percent(b, board.start, board.end) - left,
                                     timezone.localtime(a, tz).strftime("%a %d %b")))
    for row in board.rows:
        bookings = by_aircraft[row.aircraft.pk] if row.aircraft is not None else row.teaching
        row.cells = [DayCell(d, shades=[s for s in row.shades if s.start < b and s.end > a])
                     for d, (a, b) in zip(board.days, bounds)]
        for booking in bookings:
            shown = False
            for cell, (a, b) in zip(row.cells, bounds):
                if booking.start < b and booking.end > a:
                    block = _block(booking, row.aircraft, board.start, board.end, now)
                    block.first, shown = not shown, True
                    cell.blocks.append(block)
    board.now_left = percent(now, board.start, board.end) if board.start <= now < board.end else None


def blocks_of(board: Board):
    """Every block drawn, for per-block decisions the view makes (may this member open it)."""
    yield from board.agenda
    for row in board.rows:
        yield from row.blocks
        for cell in row.cells:
            yield from cell.blocks
