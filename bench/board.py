"""How the dispatch board scales with the size of the schedule.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flightline_dev .venv/bin/python bench/board.py
    .venv/bin/python bench/board.py --sqlite

Creates a fresh database (PostgreSQL: `flightline_bench` on the server of DATABASE_URL, dropped
and recreated; --sqlite: a temporary file), migrates it, builds a 30-aircraft club, and times
the real board view (Django's test Client, signed in as a dispatcher) for one day and one week
with 1,000 and then 100,000 bookings in the database. The measured week holds the same bookings
in both datasets; the other 99,000 are history and future spread over two years either side,
so the ratio shows what the size of the table alone costs. Finishes in about a minute.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "flightline_bench"
AIRCRAFT = 30
PILOTS = 60
SMALL, LARGE = 1_000, 100_000
WEEK_SLOTS = (9, 14)  # the measured week: every aircraft flies 2 h at 09:00 and 14:00 each day
OTHER_SLOTS = (8, 11, 14, 17)  # the rest of the years: 2 h slots on a 3 h grid never overlap
YEARS_EACH_SIDE = 2


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="run on a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per view and dataset (default 30)")
    return parser.parse_args()


def fresh_postgres() -> str:
    """Drop and create the bench database on DATABASE_URL's server; return its URL."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/board.py measures PostgreSQL: set DATABASE_URL=postgres://... (or pass --sqlite)")
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DEBUG"] = "true"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_club():
    from django.contrib.auth.hashers import make_password

    from dispatch.models import Aircraft
    from clubs.models import Membership, Organization, User

    club = Organization.objects.create(name="Bench Flying Club", slug="bench", timezone="Europe/Paris")
    password = make_password(None)  # unusable; the bench signs in with force_login
    users = User.objects.bulk_create(
        [User(username="dispatcher", full_name="Dana Dispatcher", password=password)]
        + [User(username=f"pilot{i:03d}", full_name=f"Pilot {i:03d}", password=password) for i in range(2 * PILOTS)]
    )
    members = Membership.objects.bulk_create(
        [Membership(organization=club, user=users[0], is_dispatcher=True, is_pilot=False)]
        + [Membership(organization=club, user=u, is_pilot=True) for u in users[1:]]
    )
    fleet = Aircraft.objects.bulk_create(
        Aircraft(organization=club, registration=f"F-B{i:03d}", aircraft_type="Robin DR400") for i in range(AIRCRAFT)
    )
    return club, members[0], members[1:PILOTS + 1], members[PILOTS + 1:], fleet


def week_start_of(club) -> date:
    from django.utils import timezone

    today = timezone.localdate(timezone=club.tz)
    return today - timedelta(days=today.weekday())


def week_slots(monday: date) -> list[list[tuple[date, int]]]:
    return [[(monday + timedelta(days=d), h) for d in range(7) for h in WEEK_SLOTS] for _ in range(AIRCRAFT)]


def other_slots(monday: date) -> list[list[tuple[date, int]]]:
    """Per aircraft, every free slot of the surrounding years, in a fixed random order."""
    span = 365 * YEARS_EACH_SIDE
    days = [monday + timedelta(days=d) for d in range(-span, span + 7) if not 0 <= d < 7]
    slots = []
    for i in range(AIRCRAFT):
        mine = [(day, h) for day in days for h in OTHER_SLOTS]
        random.Random(i).shuffle(mine)
        slots.append(mine)
    return slots


def insert_bookings(club, fleet, pilots, passengers, picks: list[list[tuple[date, int]]]) -> int:
    """Bookings for the given (day, hour) slots of each aircraft, with crew: a pilot in command
    and, on every fourth flight, a passenger. Indexing crew by aircraft keeps any one member
    on one aircraft at a time."""
    from dispatch.models import Booking, BookingCrew

    tz, epoch, today = club.tz, date(2000, 1, 1), date.today()
    bookings, crew = [], []
    for a, (aircraft, slots) in enumerate(zip(fleet, picks)):
        for day, hour in slots:
            start = datetime.combine(day, clock(hour), tzinfo=tz)
            bookings.append(Booking(organization=club, aircraft=aircraft, start=start, end=start + timedelta(hours=2),
                                    status=Booking.Status.COMPLETED if day < today else Booking.Status.BOOKED))
            k = (day - epoch).days * 7 + hour
            crew.append((pilots[(a + k) % len(pilots)], passengers[(a + k) % len(passengers)] if k % 4 == 0 else None))
    created = Booking.objects.bulk_create(bookings, batch_size=5000)
    rows = []
    for booking, (pic, passenger) in zip(created, crew):
        rows.append(BookingCrew(booking=booking, membership=pic, role=BookingCrew.Role.PIC))
        if passenger is not None:
            rows.append(BookingCrew(booking=booking, membership=passenger, role=BookingCrew.Role.PASSENGER))
    BookingCrew.objects.bulk_create(rows, batch_size=5000)
    return len(created)


def split(total: int) -> list[int]:
    return [total // AIRCRAFT + (1 if i < total % AIRCRAFT else 0) for i in range(AIRCRAFT)]


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class SqlTimer:
    """Wall time spent executing queries (the query log keeps only whole milliseconds)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - began


def measure(client, url: str, repeats: int) -> tuple[int, float, float, int]:
    """(queries per request, median ms in SQL, median ms in all, bookings drawn) for GET url."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    counts, sql_ms, timings = set(), [], []
    for _ in range(repeats):
        # request_started empties the query log, and with DEBUG on it is never empty before:
        # start from empty so CaptureQueriesContext's slice is the request's queries.
        reset_queries()
        timer = SqlTimer()
        with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
        counts.add(len(ctx.captured_queries))
        sql_ms.append(timer.seconds * 1000)
    assert len(counts) == 1, counts
    return counts.pop(), statistics.median(sql_ms), statistics.median(timings), response.content.count(b'class="block ')


def main() -> None:
    args = parse_args()
    scratch = tempfile.mkdtemp(prefix="flightline-bench-") if args.sqlite else None
    try:
        started = time.perf_counter()
        setup_django(f"sqlite:///{scratch}/bench.sqlite3" if scratch else fresh_postgres())
        from django.db import connection
        from django.test import Client

        from dispatch.models import Booking

        club, dispatcher, pilots, passengers, fleet = build_club()
        monday = week_start_of(club)
        client = Client(HTTP_HOST="localhost")
        client.force_login(dispatcher.user)
        views = {
            "day": f"/o/{club.slug}/board/?view=day&date={(monday + timedelta(days=2)).isoformat()}",
            "week": f"/o/{club.slug}/board/?view=week&date={monday.isoformat()}",
        }

        in_week = week_slots(monday)
        others = other_slots(monday)
        first = [slots[:n] for slots, n in zip(others, split(SMALL - sum(map(len, in_week))))]
        already = [len(s) for s in first]
        second = [slots[done:done + n] for slots, done, n in zip(others, already, split(LARGE - SMALL))]

        results = {}
        for size, picks in ((SMALL, [w + f for w, f in zip(in_week, first)]), (LARGE, second)):
            loaded = time.perf_counter()
            insert_bookings(club, fleet, pilots, passengers, picks)
            if connection.vendor == "postgresql":
                analyze()
            count = Booking.objects.count()
            assert count == size, (count, size)
            print(f"loaded {count:,} bookings in {time.perf_counter() - loaded:.1f} s", flush=True)
            for view, url in views.items():
                results[size, view] = measure(client, url, args.requests)

        print(f"\nDispatch board, {connection.vendor}, {AIRCRAFT} aircraft, "
              f"dispatcher, median of {args.requests} requests (Django test Client, in process;\n"
              f"SQL ms is the median time spent in the request's queries)\n")
        print(f"{'bookings in DB':>14}  {'view':<5} {'drawn':>6} {'queries':>8} {'SQL ms':>8} {'median ms':>10}")
        for (size, view), (queries, sql, ms, drawn) in results.items():
            print(f"{size:>14,}  {view:<5} {drawn:>6} {queries:>8} {sql:>8.1f} {ms:>10.1f}")
        print()
        for view in views:
            (q1, s1, t1, _), (q2, s2, t2, _) = results[SMALL, view], results[LARGE, view]
            print(f"ratio 100k/1k  {view:<5}  queries {q2 / q1:.2f}x   SQL time {s2 / s1:.2f}x   time {t2 / t1:.2f}x")
        print(f"\ntotal {time.perf_counter() - started:.0f} s")
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
