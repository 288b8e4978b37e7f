"""The lists against bare views of the same rows: the dispatcher's bookings list, a pilot's
own bookings, the club's flights and the API's booking list.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/lists.py
    .venv/bin/python bench/lists.py --sqlite

Creates a fresh database (PostgreSQL: `fl_lists_bench` on the server of DATABASE_URL, dropped
and recreated, dropped again at the end; --sqlite: a temporary file), migrates it and seeds a
club: 30 aircraft, 60 pilots, two 2 h bookings a day per aircraft for the 60 days either side
of today (7,260 bookings, each with its Wi-Flight sync record, a fifth with an instructor and a
student, a fifth with a passenger) and a detected flight for every booking flown (some 3,400).

Each list is timed beside a bench-only "bare" view that runs the same query (the same selector:
filters, page size, select_related and prefetches) and renders the same rows' main fields in a
plain template table (the API's: json.dumps of the rows as a list of dicts, through
JsonResponse, without the API's authentication). Django's test Client, in process, DEBUG off;
requests alternate ours/bare so load from elsewhere on the machine hits both; medians.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "fl_lists_bench"
AIRCRAFT = 30
PILOTS = 60
DAYS_EACH_SIDE = 60
SLOTS = (9, 14)  # every aircraft flies 2 h at 09:00 and 14:00 each day


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="run on a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per view (default 30)")
    parser.add_argument("--profile", metavar="LIST", help="print a cProfile of 30 requests of one list instead")
    return parser.parse_args()


SERVER_URL = os.environ.get("DATABASE_URL", "")


def server_url() -> str:
    url = SERVER_URL
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/lists.py measures PostgreSQL: set DATABASE_URL=postgres://... (or pass --sqlite)")
    return url


def fresh_postgres() -> str:
    """Drop and create the bench database on DATABASE_URL's server; return its URL."""
    import psycopg

    url = server_url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlunsplit(urlsplit(url)._replace(path=f"/{BENCH_DB}"))


def drop_postgres() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    # Production settings (templates and all), reachable over plain HTTP from the test client.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-lists-only-not-a-secret")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["ALLOWED_HOSTS"] = "localhost"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # No collectstatic for a bench: plain static URLs instead of the manifest's hashed names.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

    call_command("migrate", verbosity=0)


# --- The club ---------------------------------------------------------------------------------

def build_club():
    from django.contrib.auth.hashers import make_password

    from clubs.models import Membership, Organization, User
    from dispatch.models import Aircraft

    club = Organization.objects.create(name="Bench Flying Club", slug="bench", timezone="Europe/Paris")
    password = make_password(None)  # unusable; the bench signs in with force_login
    users = User.objects.bulk_create(
        [User(username="admin", full_name="Ada Admin", password=password),
         User(username="dispatcher", full_name="Dana Dispatcher", password=password)]
        + [User(username=f"pilot{i:03d}", full_name=f"Pilot {i:03d}", password=password) for i in range(PILOTS)]
    )
    members = Membership.objects.bulk_create(
        [Membership(organization=club, user=users[0], is_admin=True, is_pilot=False),
         Membership(organization=club, user=users[1], is_dispatcher=True, is_pilot=False)]
        + [Membership(organization=club, user=u, is_pilot=True, is_instructor=i % 10 == 0,
                      wiflight_username=f"p{i:03d}") for i, u in enumerate(users[2:])]
    )
    fleet = Aircraft.objects.bulk_create(
        Aircraft(organization=club, registration=f"F-B{i:03d}", aircraft_type="Robin DR400") for i in range(AIRCRAFT)
    )
    return club, members[0], members[1], members[2:], fleet


def seed(club, pilots, fleet) -> tuple[int, int]:
    """Bookings with crew and sync records, and a flight for each one flown. Crew rotate so
    that no member is on two aircraft at once (two members per aircraft per slot at most)."""
    from django.utils import timezone

    from dispatch.models import Booking, BookingCrew
    from flights.models import Flight, FlightCrew
    from integrations.wiflight.models import ReservationSync

    tz = club.tz
    today = timezone.localdate(timezone=tz)
    now = timezone.now()
    instructors = [p for p in pilots if p.is_instructor]
    students = [p for p in pilots if not p.is_instructor]
    purposes = list(Booking.Purpose.values)
    bookings, crews = [], []
    for offset in range(-DAYS_EACH_SIDE, DAYS_EACH_SIDE + 1):
        day = today + timedelta(days=offset)
        for s, hour in enumerate(SLOTS):
            start = datetime.combine(day, clock(hour), tzinfo=tz)
            for a, aircraft in enumerate(fleet):
                k = (offset + DAYS_EACH_SIDE) * len(SLOTS) + s
                status = Booking.Status.BOOKED
                cancelled = (a + k) % 17 == 0
                if cancelled:
                    status = Booking.Status.CANCELLED
                elif start + timedelta(hours=2) < now:
                    status = Booking.Status.COMPLETED
                bookings.append(Booking(
                    organization=club, aircraft=aircraft, start=start, end=start + timedelta(hours=2), status=status,
                    purpose=purposes[(a + k) % len(purposes)], notes="Local flight" if k % 5 == 0 else "",
                    cancelled_at=now if cancelled else None, cancel_reason="Weather" if cancelled else "",
                    rule_findings=[{"code": "medical_expiring", "level": "warn", "message": "Medical expires soon.",
                                    "overridden": False, "stage": "booking"}] if k % 9 == 0 else []))
                if a % 3 == 0 and a // 3 < len(instructors):
                    crews.append([(students[(a + k) % len(students)], BookingCrew.Role.STUDENT),
                                  (instructors[a // 3], BookingCrew.Role.INSTRUCTOR)])
                else:
                    crew = [(pilots[(a + k) % len(pilots)], BookingCrew.Role.PIC)]
                    if (a + k) % 4 == 0:
                        crew.append((pilots[(a + k + 30) % len(pilots)], BookingCrew.Role.PASSENGER))
                    crews.append(crew)
    made = Booking.objects.bulk_create(bookings, batch_size=2000)
    BookingCrew.objects.bulk_create(
        [BookingCrew(booking=b, membership=m, role=role) for b, crew in zip(made, crews) for m, role in crew],
        batch_size=5000)
    states = list(ReservationSync.State.values)
    ReservationSync.objects.bulk_create(
        [ReservationSync(organization=club, name=f"{b.uid}@bench.example.com", kind="booking", booking=b,
                         state=states[i % len(states)] if i % 3 == 0 else ReservationSync.State.SYNCED,
                         wanted_version=1, synced_version=1 if i % 3 else 0,
                         synced_deleted=b.status == Booking.Status.CANCELLED and i % 2 == 0,
                         last_error="HTTP 503" if i % 3 == 0 else "", next_attempt_at=b.start)
         for i, b in enumerate(made)], batch_size=2000)
    flown = [(b, crew) for b, crew in zip(made, crews) if b.status == Booking.Status.COMPLETED]
    tails = {a.pk: a.registration for a in fleet}
    flights = Flight.objects.bulk_create(
        [Flight(organization=club, wiflight_id=f"bench-{b.pk}", aircraft_id=b.aircraft_id,
                tail=tails[b.aircraft_id],
                start=b.start + timedelta(minutes=10), length_seconds=6000, engine_seconds=5400, airtime_seconds=4800,
                headline="LFPN → LFPN", booking=b, raw_document="<flight/>", source="notify")
         for b, _ in flown], batch_size=2000)
    FlightCrew.objects.bulk_create(
        [FlightCrew(flight=f, membership=m, role=role) for f, (_, crew) in zip(flights, flown) for m, role in crew]
        + [FlightCrew(flight=f, wiflight_username="visitor", role="passenger") for f in flights[::7]],
        batch_size=5000)
    return len(made), len(flights)


# --- The bare views ---------------------------------------------------------------------------

BARE_BOOKINGS = """<table>{% for b in rows %}<tr><td><a href="/o/{{ slug }}/bookings/{{ b.pk }}/">{{ b.start }}–{{ b.end }}</a></td>
<td>{{ b.aircraft.registration }}</td><td>{% for c in b.crew.all %}{{ c.membership.user.full_name }} ({{ c.role }}) {% endfor %}</td>
<td>{{ b.purpose }}</td><td>{{ b.status }} {{ b.cancel_reason }}</td><td>{{ b.wiflight_sync.state }}</td></tr>{% endfor %}</table>"""

BARE_MINE = """<ul>{% for b in upcoming %}<li><a href="/o/{{ slug }}/bookings/{{ b.pk }}/">{{ b.aircraft.registration }} {{ b.start }}–{{ b.end }}</a>
{{ b.status }} {% for c in b.crew.all %}{{ c.membership.user.full_name }} ({{ c.role }}) {% endfor %}</li>{% endfor %}</ul>
<ul>{% for b in past %}<li><a href="/o/{{ slug }}/bookings/{{ b.pk }}/">{{ b.aircraft.registration }} {{ b.start }}–{{ b.end }}</a>
{{ b.status }} {{ b.cancel_reason }} {% for c in b.crew.all %}{{ c.membership.user.full_name }} ({{ c.role }}) {% endfor %}</li>{% endfor %}</ul>"""

BARE_FLIGHTS = """<table>{% for f in rows %}<tr><td><a href="/o/{{ slug }}/flights/{{ f.pk }}/">{{ f.start }}</a></td><td>{{ f.tail }}</td>
<td>{{ f.headline }}</td><td>{{ f.engine_seconds }} / {{ f.airtime_seconds }}</td>
<td>{% for c in f.crew.all %}{% if c.membership %}{{ c.membership.user.full_name }}{% else %}{{ c.wiflight_username }}{% endif %} {% endfor %}</td>
<td>{% if f.booking %}<a href="/o/{{ slug }}/bookings/{{ f.booking.pk }}/">{{ f.booking.start }}</a>{% endif %}</td></tr>{% endfor %}</table>"""


def bare_urlconf(club, dispatcher, pilot, admin):
    """portal.urls plus the bare views under /bare/, as a module the settings can name."""
    from django.core.paginator import Paginator
    from django.http import HttpResponse, JsonResponse
    from django.template import engines
    from django.urls import include, path

    from api.resources.bookings import _list_query
    from dispatch.booking_search import PAGE_SIZE, BookingFilters, bookings_matching
    from dispatch.selectors import past_bookings_of_member, upcoming_bookings_of_member
    from dispatch.views.booking_lists import PAST_PAGE_SIZE
    from flights.policy import visible_flights
    from flights.selectors import FlightFilters, filter_flights, with_listing_relations
    from flights.views.flights import PAGE_SIZE as FLIGHTS_PAGE_SIZE

    engine = engines["django"]
    bookings_t, mine_t, flights_t = (engine.from_string(t) for t in (BARE_BOOKINGS, BARE_MINE, BARE_FLIGHTS))

    def bookings(request):
        page = Paginator(bookings_matching(dispatcher, BookingFilters()), PAGE_SIZE).page(1)
        return HttpResponse(bookings_t.render({"rows": page.object_list, "slug": club.slug, "n": page.paginator.count}))

    def mine(request):
        past = Paginator(past_bookings_of_member(pilot), PAST_PAGE_SIZE).page(1)
        return HttpResponse(mine_t.render({"upcoming": upcoming_bookings_of_member(pilot)[:50],
                                           "past": past.object_list, "slug": club.slug}))

    def flights(request):
        qs = with_listing_relations(filter_flights(visible_flights(dispatcher), FlightFilters(), club.tz))
        page = Paginator(qs, FLIGHTS_PAGE_SIZE).page(1)
        return HttpResponse(flights_t.render({"rows": page.object_list, "slug": club.slug, "n": page.paginator.count}))

    def api(request):
        page = Paginator(_list_query(admin).order_by("start", "pk"), 100).page(1)
        return JsonResponse([{
            "id": b.pk, "aircraft": b.aircraft.registration, "aircraft_id": b.aircraft_id,
            "start": b.start.isoformat(), "end": b.end.isoformat(), "status": b.status, "purpose": b.purpose,
            "notes": b.notes, "crew": [{"member_id": c.membership_id, "name": c.membership.user.full_name,
                                        "role": c.role} for c in b.crew.all()],
            "created_at": b.created_at.isoformat(), "updated_at": b.updated_at.isoformat(),
            "cancelled_at": b.cancelled_at.isoformat() if b.cancelled_at else None,
            "rule_findings": b.rule_findings} for b in page.object_list], safe=False)

    module = types.ModuleType("bench_lists_urls")
    module.urlpatterns = [
        path("bare/bookings/", bookings), path("bare/mine/", mine), path("bare/flights/", flights),
        path("bare/api/", api), path("", include("portal.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


# --- Measuring --------------------------------------------------------------------------------

def timed(client, url: str, headers: dict) -> float:
    began = time.perf_counter()
    response = client.get(url, **headers)
    elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def queries_of(client, url: str, headers: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return len(ctx.captured_queries)


def rows_of(client, bare: str) -> int:
    """The rows a list shows, counted on its bare view (which shows the same rows)."""
    body = client.get(bare).content
    if bare == "/bare/api/":
        import json

        return len(json.loads(body))
    return body.count(b"<tr>") + body.count(b"<li>")


def main() -> None:
    args = parse_args()
    scratch = tempfile.mkdtemp(prefix="fl-lists-bench-") if args.sqlite else None
    try:
        started = time.perf_counter()
        setup_django(f"sqlite:///{scratch}/bench.sqlite3" if scratch else fresh_postgres())
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from api.keys import api_key_create

        club, admin, dispatcher, pilots, fleet = build_club()
        n_bookings, n_flights = seed(club, pilots, fleet)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        pilot = pilots[1]
        print(f"seeded {n_bookings:,} bookings and {n_flights:,} flights in {time.perf_counter() - started:.1f} s",
              flush=True)
        settings.ROOT_URLCONF = bare_urlconf(club, dispatcher, pilot, admin)

        staff, member, machine = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
        staff.force_login(dispatcher.user)
        member.force_login(pilot.user)
        key = {"HTTP_AUTHORIZATION": f"Bearer {api_key_create(actor=admin, name='Bench', scopes='read')[1]}"}
        lists = {  # name: (client, our url, bare url, headers)
            "bookings": (staff, f"/o/{club.slug}/bookings/", "/bare/bookings/", {}),
            "my bookings": (member, f"/o/{club.slug}/bookings/mine/", "/bare/mine/", {}),
            "flights": (staff, f"/o/{club.slug}/flights/", "/bare/flights/", {}),
            "API bookings": (machine, f"/api/v1/organizations/{club.slug}/bookings?page_size=100", "/bare/api/", key),
        }
        if args.profile:
            profile(lists[args.profile])
            return
        results = {}
        for name, (client, ours, bare, headers) in lists.items():
            for _ in range(3):  # warm: templates compiled, the API key's last use recorded
                timed(client, ours, headers), timed(client, bare, {})
            q_ours, q_bare = queries_of(client, ours, headers), queries_of(client, bare, {})
            assert queries_of(client, ours, headers) == q_ours
            t_ours, t_bare = [], []
            for i in range(args.requests):
                pair = ((t_ours, ours, headers), (t_bare, bare, {}))
                for times, url, h in (pair if i % 2 == 0 else pair[::-1]):
                    times.append(timed(client, url, h))
            results[name] = (rows_of(client, bare), q_ours, q_bare,
                             statistics.median(t_ours), statistics.median(t_bare))
            print(f"measured {name}", flush=True)

        print(f"\nLists against bare views of the same rows, {connection.vendor}, {AIRCRAFT} aircraft, "
              f"{PILOTS} pilots, {n_bookings:,} bookings, {n_flights:,} flights;\nmedian of {args.requests} "
              f"requests each, interleaved (Django test Client, in process, DEBUG off)\n")
        print(f"{'list':<13} {'rows':>5} {'queries':>8} {'bare q':>7} {'ours ms':>8} {'bare ms':>8} {'ratio':>6}")
        for name, (rows, q_ours, q_bare, ms_ours, ms_bare) in results.items():
            print(f"{name:<13} {rows:>5} {q_ours:>8} {q_bare:>7} {ms_ours:>8.1f} {ms_bare:>8.1f} {ms_ours / ms_bare:>6.2f}")
        print(f"\ntotal {time.perf_counter() - started:.0f} s")
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        elif os.environ.get("DATABASE_URL", "").endswith(f"/{BENCH_DB}"):
            drop_postgres()


def profile(entry) -> None:
    import cProfile
    import pstats

    client, ours, _, headers = entry
    for _ in range(3):
        timed(client, ours, headers)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(30):
        timed(client, ours, headers)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
