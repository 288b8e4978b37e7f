"""The rows bench/scale.py loads: clubs of one shape (30 aircraft, 60 members, some 10,000
bookings over two years either side of today), generated as COPY text from the models'
own table and column names.

Every id is a function of (club, aircraft, slot), so the measured club has the same ids, the
same rows and the same pages in the 1,000-club database and in the one-club database.
Bookings are generated in time order across all clubs, as a hosted service would have
written them, so one club's rows are spread over the whole table, not packed together.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone

AIRCRAFT = 30
MEMBERS = 60  # member 0 is the club's admin and dispatcher, 1..59 fly
PILOTS = MEMBERS - 1
SLOT_HOURS = (6, 9, 12, 15)  # UTC: 2 h bookings on a 3 h grid never overlap
YEARS_EACH_SIDE = 2
EVERY = 17  # an aircraft flies one slot in 17: 1,461 days x 4 slots / 17 = 343 slots
BOOKINGS_PER_AIRCRAFT = 333  # x 30 aircraft = 9,990 bookings a club
CLUB_ID_SPACE = 1000  # booking ids: (slot * CLUB_ID_SPACE + club) * AIRCRAFT + aircraft + 1
TIMEZONE = "Europe/Paris"
CHUNK_DAYS = 28


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")


class Schedule:
    """The slots of the years around today: slot s is day s // 4 at SLOT_HOURS[s % 4]."""

    def __init__(self, today: date, now: datetime):
        self.now = now
        self.first_day = today - timedelta(days=365 * YEARS_EACH_SIDE)
        first = datetime.combine(self.first_day, datetime.min.time(), tzinfo=timezone.utc)
        self.slots = EVERY * BOOKINGS_PER_AIRCRAFT
        self.starts = [first + timedelta(days=s // 4, hours=SLOT_HOURS[s % 4]) for s in range(self.slots)]
        self.start_text = [stamp(t) for t in self.starts]
        self.end_text = [stamp(t + timedelta(hours=2)) for t in self.starts]
        self.arrived_text = [stamp(t + timedelta(minutes=110)) for t in self.starts]

    @staticmethod
    def flies(club: int, aircraft: int, slot: int) -> bool:
        return slot % EVERY == (aircraft * 7 + club * 13) % EVERY

    def updated(self, booking_id: int, slot: int) -> str:
        """Written three weeks ahead; bookings further ahead were last changed some time in the
        last 30 days (what the API's changed_since picks from)."""
        written = self.starts[slot] - timedelta(days=21)
        if written < self.now:
            return stamp(written)
        return stamp(self.now - timedelta(minutes=(booking_id * 7919) % (60 * 24 * 30)))


def org_id(c: int) -> int:
    return c + 1


def member_id(c: int, m: int) -> int:
    return c * MEMBERS + m + 1


def aircraft_id(c: int, a: int) -> int:
    return c * AIRCRAFT + a + 1


def booking_id(c: int, a: int, s: int) -> int:
    return (s * CLUB_ID_SPACE + c) * AIRCRAFT + a + 1


def pilot_of(c: int, a: int, s: int) -> int:
    """Distinct for the aircraft of one slot (30 <= 59 pilots): nobody flies two at once."""
    return member_id(c, 1 + (a + s) % PILOTS)


# Text for COPY: None is \N, booleans t/f, lists and dicts JSON.
def text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    if isinstance(value, datetime):
        return stamp(value.astimezone(timezone.utc))
    value = str(value)
    assert not any(ch in value for ch in "\t\n\\"), value
    return value


class Table:
    """One model's table as COPY sees it: the columns the generator gives, and every other
    concrete column filled once from the field's default (a NOT NULL column without one is
    an error here, not a surprise in PostgreSQL)."""

    def __init__(self, model, given: list[str], now: datetime):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [name for name in given if name not in fields]
        assert not unknown, (model, unknown)
        self.model = model
        self.name = model._meta.db_table
        self.given = given
        rest = [f for name, f in fields.items() if name not in given]
        tail = []
        for f in rest:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.blank:
                value = ""
            else:
                raise AssertionError(f"{self.name}.{f.column} needs a value")
            tail.append(text(value))
        self.columns = [fields[name].column for name in given] + [f.column for f in rest]
        self.tail = "".join("\t" + value for value in tail)

    def lines(self, rows: Iterable[tuple]) -> Iterator[str]:
        tail = self.tail + "\n"
        for row in rows:
            yield "\t".join(row) + tail


def organizations(clubs: list[int]):
    for c in clubs:
        yield (str(org_id(c)), f"Club {c:04d}", f"club{c:04d}", TIMEZONE, "EUR", "enterprise", "1000000")


def users(clubs: list[int]):
    for c in clubs:
        for m in range(MEMBERS):
            yield (str(member_id(c, m)), f"c{c:04d}m{m:02d}", "!", f"Member {m:02d} of club {c:04d}")


def memberships(clubs: list[int]):
    for c in clubs:
        for m in range(MEMBERS):
            staff = "t" if m == 0 else "f"
            yield (str(member_id(c, m)), str(org_id(c)), str(member_id(c, m)), staff, staff,
                   "t" if 1 <= m <= 3 else "f", "f" if m == 0 else "t")


def aircraft(clubs: list[int]):
    for c in clubs:
        for a in range(AIRCRAFT):
            yield (str(aircraft_id(c, a)), str(org_id(c)), f"F-B{a:03d}", "Robin DR400", "LFPN")


def _flown(clubs: list[int], schedule: Schedule):
    """(club, aircraft, slot) of every booking: four weeks at a time, as a hosted service
    would have written them, and within those weeks aircraft by aircraft (so one club's rows
    are spread over the whole table, a few pages a month, and the exclusion constraint's
    GiST index is built with some locality: in time order across all clubs it took over 7
    minutes on 10 million rows, its pages never in shared_buffers)."""
    fleet = [(c, a) for c in clubs for a in range(AIRCRAFT)]
    chunk = 4 * CHUNK_DAYS
    for first in range(0, schedule.slots, chunk):
        for c, a in fleet:
            offset = (a * 7 + c * 13) % EVERY
            begin = first + (offset - first) % EVERY
            for s in range(begin, min(first + chunk, schedule.slots), EVERY):
                yield c, a, s


def is_cancelled(bid: int) -> bool:
    return bid % 25 == 0


def has_flight(bid: int, s: int, schedule: Schedule) -> bool:
    return bid % 4 == 1 and not is_cancelled(bid) and schedule.starts[s] < schedule.now - timedelta(hours=3)


def bookings(clubs: list[int], schedule: Schedule):
    now = schedule.now
    for c, a, s in _flown(clubs, schedule):
        bid = booking_id(c, a, s)
        past = schedule.starts[s] < now
        updated = schedule.updated(bid, s)
        cancelled = is_cancelled(bid)
        status = "cancelled" if cancelled else ("completed" if past else "booked")
        yield (str(bid), str(org_id(c)), str(aircraft_id(c, a)), f"00000000-0000-4000-8000-{bid:012x}",
               schedule.start_text[s], schedule.end_text[s], status, updated, updated,
               updated if cancelled else r"\N", "Weather" if cancelled else "")


def booking_crew(clubs: list[int], schedule: Schedule):
    for c, a, s in _flown(clubs, schedule):
        bid = booking_id(c, a, s)
        yield (str(bid), str(bid), str(pilot_of(c, a, s)), "pic")


def flights(clubs: list[int], schedule: Schedule):
    for c, a, s in _flown(clubs, schedule):
        bid = booking_id(c, a, s)
        if has_flight(bid, s, schedule):
            yield (str(bid), str(org_id(c)), f"wf-{bid}", str(aircraft_id(c, a)), f"F-B{a:03d}",
                   schedule.start_text[s], "6600", "6300", "5400", "LFPN - LFPN", str(bid), "notification",
                   "<flight/>", schedule.arrived_text[s], schedule.arrived_text[s])


def flight_crew(clubs: list[int], schedule: Schedule):
    for c, a, s in _flown(clubs, schedule):
        bid = booking_id(c, a, s)
        if has_flight(bid, s, schedule):
            yield (str(bid), str(bid), str(pilot_of(c, a, s)), "pic")


def tables(clubs: list[int], schedule: Schedule):
    """(Table, rows) in the order foreign keys need."""
    from clubs.models import Membership, Organization, User
    from dispatch.models import Aircraft, Booking, BookingCrew
    from flights.models import Flight, FlightCrew

    now = schedule.now
    return [
        (Table(Organization, ["id", "name", "slug", "timezone", "currency", "plan", "api_requests_per_hour"], now),
         organizations(clubs)),
        (Table(User, ["id", "username", "password", "full_name"], now), users(clubs)),
        (Table(Membership, ["id", "organization_id", "user_id", "is_admin", "is_dispatcher", "is_instructor",
                            "is_pilot"], now), memberships(clubs)),
        (Table(Aircraft, ["id", "organization_id", "registration", "aircraft_type", "home_base"], now),
         aircraft(clubs)),
        (Table(Booking, ["id", "organization_id", "aircraft_id", "uid", "start", "end", "status", "created_at",
                         "updated_at", "cancelled_at", "cancel_reason"], now), bookings(clubs, schedule)),
        (Table(BookingCrew, ["id", "booking_id", "membership_id", "role"], now), booking_crew(clubs, schedule)),
        (Table(Flight, ["id", "organization_id", "wiflight_id", "aircraft_id", "tail", "start", "length_seconds",
                        "engine_seconds", "airtime_seconds", "headline", "booking_id", "source", "raw_document",
                        "created_at", "updated_at"], now), flights(clubs, schedule)),
        (Table(FlightCrew, ["id", "flight_id", "membership_id", "role"], now), flight_crew(clubs, schedule)),
    ]
