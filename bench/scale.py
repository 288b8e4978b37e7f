"""1,000 clubs on one PostgreSQL: does one club's page cost more when the database holds
999 other clubs?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/scale.py
    ... bench/scale.py --small            # 20 clubs, 200,000 bookings: a quick run
    ... bench/scale.py --explain          # and EXPLAIN (ANALYZE, BUFFERS) every measured query

Builds two databases on DATABASE_URL's server, each by `migrate` and then COPY
(bench/scale_load.py): `<prefix>_big` with 1,000 clubs (30,000 aircraft, 60,000 members, 10
million bookings two years either side of today, 1.2 million flights) and `<prefix>_one`
with only the measured club, the same rows with the same ids (bench/scale_rows.py). Then it
measures, in process with Django's test Client, the board's day view, the bookings list, a
pilot's own bookings, the API's booking list with changed_since and the club's flight log,
alternating the two databases request by request (two DATABASES entries; the one serving a
request is swapped in as "default"), and prints the medians, the query counts and the
ratio big/one for each.
"""

import argparse
import hashlib
import os
import re
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.0f} s] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="20 clubs (200,000 bookings) instead of 1,000")
    parser.add_argument("--clubs", type=int, help="how many clubs in the big database (default 1,000)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per view and database (default 30)")
    parser.add_argument("--explain", action="store_true",
                        help="EXPLAIN (ANALYZE, BUFFERS) each query on the big database")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the databases a previous run built (migrating them)")
    parser.add_argument("--prefix", default="fl_scale", help="database names: <prefix>_big and <prefix>_one")
    args = parser.parse_args()
    args.clubs = args.clubs or (20 if args.small else 1000)
    assert 1 <= args.clubs <= 1000, "at most 1,000 clubs (scale_rows.CLUB_ID_SPACE)"
    return args


def database_urls(prefix: str, fresh: bool) -> dict[str, str]:
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/scale.py measures PostgreSQL: set DATABASE_URL=postgres://...")
    parts = urlsplit(url)
    urls = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for alias in ("big", "one"):
            name = f"{prefix}_{alias}"
            if fresh:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {name}")
            urls[alias] = urlunsplit(parts._replace(path=f"/{name}"))
    return urls


def setup_django(urls: dict[str, str]) -> None:
    os.environ["DATABASE_URL"] = urls["big"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DEBUG"] = "true"
    os.environ.pop("CACHE_URL", None)  # a cache of this process alone: nothing shared with other runs
    from django.conf import settings

    settings.DATABASES["one"] = {**settings.DATABASES["default"], "NAME": urlsplit(urls["one"]).path[1:]}
    import django

    django.setup()


def migrate(alias: str) -> None:
    from django.core.management import call_command

    call_command("migrate", database=alias, verbosity=0)


class Databases:
    """The two databases, each one in turn the "default" connection Django's code uses."""

    def __init__(self):
        from django.db import connections

        self.handler = connections
        self.wrappers = {"big": connections["default"], "one": connections["one"]}

    def use(self, alias: str) -> None:
        self.handler["default"] = self.wrappers[alias]


def prepare_members(dbs: Databases, club_slug: str):
    """Per database: a signed-in client for the dispatcher and for a pilot, and an API key."""
    from django.test import Client

    from api.keys import api_key_create
    from clubs.models import Membership

    sessions = {}
    for alias in ("big", "one"):
        dbs.use(alias)
        dispatcher = Membership.objects.select_related("user", "organization").get(
            organization__slug=club_slug, user__username__endswith="m00")
        pilot = Membership.objects.select_related("user").get(organization__slug=club_slug,
                                                              user__username__endswith="m01")
        staff, member = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
        staff.force_login(dispatcher.user)
        member.force_login(pilot.user)
        _, raw = api_key_create(actor=dispatcher, name="Scale bench", scopes="read")
        api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {raw}")
        sessions[alias] = {"staff": staff, "member": member, "api": api}
    return sessions


def views(slug: str, today, changed_since: datetime) -> dict[str, tuple[str, str]]:
    since = changed_since.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "board day": ("staff", f"/o/{slug}/board/?view=day&date={today.isoformat()}"),
        "bookings list": ("staff", f"/o/{slug}/bookings/"),
        "my bookings": ("member", f"/o/{slug}/bookings/mine/"),
        "API changed_since": ("api", f"/api/v1/organizations/{slug}/bookings?changed_since={since}"),
        "flight log": ("staff", f"/o/{slug}/flights/"),
    }


# What differs between two requests whatever the database: the CSRF token, the board's
# "now" line (its position moves every second).
VOLATILE = re.compile(rb'(csrfmiddlewaretoken" value="|csrf-token" content="|data-now="|class="now" style="left:)[^"]+')


def fingerprint(body: bytes) -> str:
    """The page without what differs between two requests, to check both databases serve
    the same page."""
    body = VOLATILE.sub(rb"\1-", body)
    return hashlib.sha256(body).hexdigest()[:12]


def one_request(dbs, client, url: str, alias: str):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    dbs.use(alias)
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        began = time.perf_counter()
        response = client.get(url)
        ms = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (url, alias, response.status_code, response.content[:500])
    return ms, len(ctx.captured_queries), response.content, ctx.captured_queries


def measure(dbs, sessions, pages: dict, repeats: int) -> dict:
    results = {}
    for name, (who, url) in pages.items():
        for _ in range(3):
            for alias in ("big", "one"):
                one_request(dbs, sessions[alias][who], url, alias)
        times = {"big": [], "one": []}
        counts = {"big": set(), "one": set()}
        bodies = {}
        for i in range(repeats):
            for alias in (("big", "one") if i % 2 == 0 else ("one", "big")):
                ms, queries, body, _ = one_request(dbs, sessions[alias][who], url, alias)
                times[alias].append(ms)
                counts[alias].add(queries)
                bodies[alias] = body
        results[name] = {
            "ms": {alias: statistics.median(t) for alias, t in times.items()},
            "queries": {alias: sorted(c) for alias, c in counts.items()},
            "same": fingerprint(bodies["big"]) == fingerprint(bodies["one"]),
            "bytes": len(bodies["big"]),
        }
        r = results[name]
        log(f"  {name}: big {r['ms']['big']:.1f} ms, one {r['ms']['one']:.1f} ms, queries {r['queries']}")
    return results


SELECT_LIST = re.compile(r"^SELECT (DISTINCT )?.*? FROM ")
SKIP_EXPLAIN = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|UPDATE|INSERT|DELETE)", re.I)


def explain(dbs, sessions, pages: dict) -> None:
    from django.db import connection

    print("\nEXPLAIN (ANALYZE, BUFFERS) of every query of each page, on the big database\n")
    for name, (who, url) in pages.items():
        _, _, _, queries = one_request(dbs, sessions["big"][who], url, "big")
        print(f"## {name}: {url}\n")
        dbs.use("big")
        for q in queries:
            sql = q["sql"]
            if SKIP_EXPLAIN.match(sql):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            shown = SELECT_LIST.sub(r"SELECT \1... FROM ", sql, count=1)
            print(shown[:600] + (" ..." if len(shown) > 600 else ""))
            print(plan + "\n")


def print_table(results: dict, args, counts: dict, load_s: float) -> None:
    print(f"\nOne club (30 aircraft, 60 members, {counts.get('dispatch_booking', 0) // args.clubs:,} bookings) on a "
          f"database of {args.clubs:,} clubs ({counts.get('dispatch_booking', 0):,} bookings, "
          f"{counts.get('flights_flight', 0):,} flights)\nagainst the same club alone; PostgreSQL, Django test "
          f"Client in process, median of {args.requests} requests each, alternating.\n")
    print(f"{'page':<18} {'queries':>9} {'big ms':>8} {'one ms':>8} {'ratio':>6}  same page")
    worst = 0.0
    for name, r in results.items():
        qb, qo = r["queries"]["big"], r["queries"]["one"]
        queries = str(qb[0]) if qb == qo and len(qb) == 1 else f"{qb}/{qo}"
        ratio = r["ms"]["big"] / r["ms"]["one"]
        worst = max(worst, ratio)
        print(f"{name:<18} {queries:>9} {r['ms']['big']:>8.1f} {r['ms']['one']:>8.1f} {ratio:>6.2f}  "
              f"{'yes' if r['same'] else 'NO'}")
    equal = all(r["queries"]["big"] == r["queries"]["one"] for r in results.values())
    print(f"\nworst ratio {worst:.2f} (goal <= 1.2), query counts equal: {'yes' if equal else 'NO'}")
    if load_s:
        print(f"built in {load_s:.0f} s")


def main() -> None:
    args = parse_args()
    urls = database_urls(args.prefix, fresh=not args.reuse)
    setup_django(urls)
    from bench import scale_load, scale_rows

    now = datetime.now(timezone.utc).replace(microsecond=0)
    today = now.astimezone(__import__("zoneinfo").ZoneInfo(scale_rows.TIMEZONE)).date()
    schedule = scale_rows.Schedule(today, now)
    clubs = list(range(args.clubs))
    measured = args.clubs // 2
    load_s, counts = 0.0, {}
    for alias in ("default", "one"):  # "default" is the big database
        migrate(alias)
    if not args.reuse:
        began = time.perf_counter()
        log(f"building {args.clubs:,} clubs in {urlsplit(urls['big']).path[1:]}")
        counts = scale_load.load(urls["big"], clubs, schedule, log)
        log(f"building club {measured} alone in {urlsplit(urls['one']).path[1:]}")
        scale_load.load(urls["one"], [measured], schedule, log)
        load_s = time.perf_counter() - began
    else:
        import psycopg

        with psycopg.connect(urls["big"]) as conn:
            for table in ("dispatch_booking", "flights_flight"):
                counts[table] = conn.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                                             [table]).fetchone()[0]
    from django.db import connections

    for alias in ("default", "one"):
        connections[alias].close()
    dbs = Databases()
    slug = f"club{measured:04d}"
    sessions = prepare_members(dbs, slug)
    pages = views(slug, today, now - timedelta(days=1))
    log(f"measuring {slug}, {args.requests} requests per page and database")
    results = measure(dbs, sessions, pages, args.requests)
    print_table(results, args, counts, load_s)
    if args.explain:
        explain(dbs, sessions, pages)
    log("done")


if __name__ == "__main__":
    main()
