"""The dispatch board against a bare Django view of the same bookings, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flightline_dev .venv/bin/python bench/board.py
    .venv/bin/python bench/board.py --sqlite

Creates a fresh database (PostgreSQL: `--db`, default `flightline_bench`, on the server of
DATABASE_URL, dropped and recreated; --sqlite: a temporary file), migrates it and builds two
clubs, of 30 and of 100 aircraft, each aircraft flying 2 h at 09:00 and 14:00 every day of the
measured week (420 and 1,400 bookings), each booking with its crew and its Wi-Flight sync row.

For each club and view (day: the Wednesday; week) it times, with Django's test Client in
process and signed in as a dispatcher, the real board and a bare view, interleaved (board,
bare, board, bare...) so that load from elsewhere on the machine hits both alike. The bare
view is defined here: the same access check, the same bookings query as the board (same
window, same club, same select_related and crew prefetch), and a plain <table> of each
booking's aircraft, times, crew and link through a Django template. The ratio of the medians
is the board's own cost.

With --history, 100,000 more bookings (two years either side of the week, on the 100-aircraft
club) are then added and the 100-aircraft rows measured again: the size of the table alone.
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

FLEETS = (30, 100)
PILOTS = 60
WEEK_SLOTS = (9, 14)  # the measured week: every aircraft flies 2 h at 09:00 and 14:00 each day
OTHER_SLOTS = (8, 11, 14, 17)  # the rest of the years: 2 h slots on a 3 h grid never overlap
HISTORY = 100_000
YEARS_EACH_SIDE = 2

BARE_TEMPLATE = """<!doctype html><title>Bookings</title>
<table>
<thead><tr><th>Aircraft</th><th>Start</th><th>End</th><th>Crew</th><th></th></tr></thead>
<tbody>
{% for booking in bookings %}<tr><td>{{ booking.aircraft.registration }}</td><td>{{ booking.start|date:"D H:i" }}</td><td>{{ booking.end|date:"D H:i" }}</td><td>{% for c in booking.crew.all %}{{ c.membership.user.display_name }}{% if not forloop.last %}, {% endif %}{% endfor %}</td><td><a href="{% url 'dispatch:booking' club.slug booking.pk %}">Open</a></td></tr>
{% endfor %}</tbody>
</table>
"""
_bare_template: list = []
urlpatterns: list = []  # filled by setup_django: the portal's URLs plus the bare view


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="run on a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--db", default="flightline_bench", help="PostgreSQL database to (re)create")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per view and page (default 30)")
    parser.add_argument("--history", action="store_true", help=f"then add {HISTORY:,} bookings and measure again")
    parser.add_argument("--profile", metavar="VIEW", choices=("day", "week"),
                        help="print a cProfile of 20 board requests of this view (largest fleet) and stop")
    return parser.parse_args()


def fresh_postgres(name: str) -> str:
    """Drop and create the bench database on DATABASE_URL's server; return its URL."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/board.py measures PostgreSQL: set DATABASE_URL=postgres://... (or pass --sqlite)")
    parts = urlsplit(url)
    # Through the server's maintenance database: DATABASE_URL's own need not exist.
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def bare_board(request):
    """The baseline: the board's bookings query, each booking in a plain table row."""
    from django.http import HttpResponse
    from django.template import engines

    from core.query_params import parse_day
    from dispatch.board import _fetch_bookings, board_window

    view = "week" if request.GET.get("view") == "week" else "day"
    start, end = board_window(parse_day(request.GET["date"]), view, request.club.tz)
    bookings = _fetch_bookings(request.club, start, end)
    if not _bare_template:
        _bare_template.append(engines["django"].from_string(BARE_TEMPLATE))  # compiled once, like a loaded one
    return HttpResponse(_bare_template[0].render({"bookings": bookings, "club": request.club}, request))


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DEBUG"] = "true"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import include, path

    from clubs.access import club_member

    urlpatterns[:] = [path("bare/o/<slug:slug>/", club_member()(bare_board)), path("", include("portal.urls"))]
    settings.ROOT_URLCONF = __name__
    call_command("migrate", verbosity=0)


def build_club(slug: str, aircraft: int):
    from django.contrib.auth.hashers import make_password

    from dispatch.models import Aircraft
    from clubs.models import Membership, Organization, User

    club = Organization.objects.create(name=f"Bench Flying Club {slug}", slug=slug, timezone="Europe/Paris")
    password = make_password(None)  # unusable; the bench signs in with force_login
    users = User.objects.bulk_create(
        [User(username=f"{slug}-dispatcher", full_name="Dana Dispatcher", password=password)]
        + [User(username=f"{slug}-pilot{i:03d}", full_name=f"Pilot {i:03d}", password=password)
           for i in range(2 * PILOTS)]
    )
    members = Membership.objects.bulk_create(
        [Membership(organization=club, user=users[0], is_dispatcher=True, is_pilot=False)]
        + [Membership(organization=club, user=u, is_pilot=True) for u in users[1:]]
    )
    fleet = Aircraft.objects.bulk_create(
        Aircraft(organization=club, registration=f"F-B{i:03d}", aircraft_type="Robin DR400") for i in range(aircraft)
    )
    return club, members[0], members[1:PILOTS + 1], members[PILOTS + 1:], fleet


def week_start_of(club) -> date:
    from django.utils import timezone

    today = timezone.localdate(timezone=club.tz)
    return today - timedelta(days=today.weekday())


def week_slots(monday: date, fleet) -> list[list[tuple[date, int]]]:
    return [[(monday + timedelta(days=d), h) for d in range(7) for h in WEEK_SLOTS] for _ in fleet]


def other_slots(monday: date, fleet, total: int) -> list[list[tuple[date, int]]]:
    """Per aircraft, `total / len(fleet)` free slots of the surrounding years, in a fixed random order."""
    span = 365 * YEARS_EACH_SIDE
    days = [monday + timedelta(days=d) for d in range(-span, span + 7) if not 0 <= d < 7]
    slots = []
    for i in range(len(fleet)):
        mine = [(day, h) for day in days for h in OTHER_SLOTS]
        random.Random(i).shuffle(mine)
        slots.append(mine[:total // len(fleet) + (1 if i < total % len(fleet) else 0)])
    return slots


def insert_bookings(club, fleet, pilots, passengers, picks: list[list[tuple[date, int]]]) -> int:
    """Bookings for the given (day, hour) slots of each aircraft, with crew (a pilot in command
    and, on every fourth flight, a passenger) and a synced Wi-Flight reservation. Indexing crew
    by aircraft keeps any one member on one aircraft at a time."""
    from django.utils import timezone

    from dispatch.models import Booking, BookingCrew
    from integrations.wiflight.models import ReservationSync

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
    now = timezone.now()
    ReservationSync.objects.bulk_create(
        (ReservationSync(organization=club, name=f"flightline-{b.pk}", kind=ReservationSync.Kind.BOOKING, booking=b,
                         wanted_version=1, synced_version=1, state=ReservationSync.State.SYNCED, next_attempt_at=now)
         for b in created), batch_size=5000)
    return len(created)


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed_get(client, url: str) -> tuple[float, int, bytes]:
    """(ms, queries, body) of one GET."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # request_started empties the query log, and with DEBUG on it is never empty before:
    # start from empty so CaptureQueriesContext's slice is the request's queries.
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        began = time.perf_counter()
        response = client.get(url)
        ms = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return ms, len(ctx.captured_queries), response.content


def compare(client, board_url: str, bare_url: str, repeats: int) -> dict:
    """Board and bare requests interleaved, after three of each to warm up."""
    for _ in range(3):
        timed_get(client, board_url), timed_get(client, bare_url)
    times = {"board": [], "bare": []}
    queries = {"board": set(), "bare": set()}
    for _ in range(repeats):
        for name, url in (("board", board_url), ("bare", bare_url)):
            ms, count, body = timed_get(client, url)
            times[name].append(ms)
            queries[name].add(count)
            if name == "board":
                drawn = body.count(b'class="block ')
            else:
                bare_rows = body.count(b"<tr><td>")
    assert len(queries["board"]) == 1 and len(queries["bare"]) == 1, queries
    board_ms, bare_ms = statistics.median(times["board"]), statistics.median(times["bare"])
    return {"drawn": drawn, "bare_rows": bare_rows, "q_board": queries["board"].pop(), "q_bare": queries["bare"].pop(),
            "board_ms": board_ms, "bare_ms": bare_ms, "ratio": board_ms / bare_ms}


def profile(client, url: str) -> None:
    import cProfile
    import pstats

    for _ in range(3):
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
    stats.print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    args = parse_args()
    scratch = tempfile.mkdtemp(prefix="flightline-bench-") if args.sqlite else None
    try:
        started = time.perf_counter()
        setup_django(f"sqlite:///{scratch}/bench.sqlite3" if scratch else fresh_postgres(args.db))
        from django.db import connection
        from django.test import Client

        from dispatch.models import Booking

        pages = []
        for size in FLEETS:
            club, dispatcher, pilots, passengers, fleet = build_club(f"bench{size}", size)
            monday = week_start_of(club)
            insert_bookings(club, fleet, pilots, passengers, week_slots(monday, fleet))
            client = Client(HTTP_HOST="localhost")
            client.force_login(dispatcher.user)
            for view, day in (("day", monday + timedelta(days=2)), ("week", monday)):
                query = f"?view={view}&date={day.isoformat()}"
                pages.append((size, view, client, f"/o/{club.slug}/board/{query}", f"/bare/o/{club.slug}/{query}"))
            history = (club, fleet, pilots, passengers, monday)
        analyze()
        print(f"loaded {Booking.objects.count():,} bookings in {time.perf_counter() - started:.1f} s", flush=True)

        if args.profile:
            size, view, client, board_url, _ = [p for p in pages if p[1] == args.profile][-1]
            profile(client, board_url)
            return

        rows = [(size, view, "week", compare(client, board_url, bare_url, args.requests))
                for size, view, client, board_url, bare_url in pages]
        if args.history:
            club, fleet, pilots, passengers, monday = history
            loaded = time.perf_counter()
            insert_bookings(club, fleet, pilots, passengers, other_slots(monday, fleet, HISTORY))
            analyze()
            print(f"added {HISTORY:,} bookings in {time.perf_counter() - loaded:.1f} s", flush=True)
            rows += [(size, view, f"+{HISTORY // 1000}k", compare(client, board_url, bare_url, args.requests))
                     for size, view, client, board_url, bare_url in pages if size == FLEETS[-1]]

        print(f"\nDispatch board vs bare view, {connection.vendor}, dispatcher, median of {args.requests} "
              f"interleaved requests each (Django test Client, in process)\n")
        print(f"{'aircraft':>8}  {'view':<5} {'in DB':<6} {'drawn':>6} {'queries':>9} "
              f"{'board ms':>9} {'bare ms':>8} {'ratio':>6}")
        for size, view, data, r in rows:
            assert r["drawn"] == r["bare_rows"], r
            print(f"{size:>8}  {view:<5} {data:<6} {r['drawn']:>6} {r['q_board']:>4} / {r['q_bare']:<2} "
                  f"{r['board_ms']:>9.1f} {r['bare_ms']:>8.1f} {r['ratio']:>5.2f}x")
        print(f"\ntotal {time.perf_counter() - started:.0f} s")
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
