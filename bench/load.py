"""The whole stack under load: locust drives gunicorn, Celery, PostgreSQL, Redis and the
simulator (10 % failures) on loopback, then the end state is checked.

    .venv/bin/python bench/load.py [--seconds 90] [--users 20] [--drain 120] [--keep]

Starts, in its own var dir (FLIGHTLINE_VAR_DIR, default /tmp/flightline-load): a fresh
PostgreSQL database (LOAD_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/fl_load),
migrated and seeded with the demo club (`manage.py seed_demo`, plus an API key and bookings
for the Wi-Flight flights to match, through the project's services); Redis as broker and
cache (LOAD_REDIS_URL, default redis://127.0.0.1:6379/1, flushed first); the simulator on
--sim-port with its demo fleet and notify profile; gunicorn with 4 workers on --port, in
production settings (DEBUG off, collectstatic); 2 Celery workers and a beat. Then
`locust --headless -f bench/locustfile.py` for --seconds with --users (CSV into the var dir):
dispatchers book, move and cancel through the pages' forms, pilots browse their flights,
API clients list bookings and create flight-log entries, and Wi-Flight records flights
over synced reservations (the simulator's /sim/flights), whose notifications its delivery
loop POSTs to the portal. The simulator fails 10 % of its API requests throughout.

It prints p50/p95 per endpoint and the error count, waits (at most --drain seconds) for the
queues to drain, then checks: every booking's reservation at the simulator equals it
(aircraft, times, crew; cancelled ones gone); every notification became exactly one flight,
on its booking; nothing was lost (every booking, move, cancellation and flight-log entry
the load journalled is in the database; no sync row, notification or broker message left).
Exits 1 if a check fails. Every process it started is stopped at the end.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"
PY = str(BIN / "python")
sys.path.insert(0, str(REPO))

SIM_ADMIN, SIM_PASSWORD = "flightline@demo.flightline.test", "demo-wiflight"
# Lanes: at each time, these three aircraft, each with its own crew member (all three are
# checked out on all three), so no two bookings of the bench ever overlap on aircraft or crew.
LANE_AIRCRAFT = ["C-GDFA", "C-GDFB", "C-GDFE"]
LANE_CREW = ["pilot", "instructor", "instructor2"]
TARGETS_FIRST_DAY, LANES_FIRST_DAY = 20, 31


def _args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=int, default=90)
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--spawn-rate", type=float, default=5)
    p.add_argument("--drain", type=int, default=120, help="at most this long for the queues to drain")
    p.add_argument("--targets", type=int, default=90, help="bookings made for Wi-Flight's flights to match")
    p.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 18500)))
    p.add_argument("--sim-port", type=int, default=int(os.environ.get("LOAD_SIM_PORT", 18501)))
    p.add_argument("--fail-fraction", type=float, default=0.1)
    p.add_argument("--keep", action="store_true", help="keep the database and the var dir afterwards")
    return p.parse_args()


ARGS = _args()
VAR = Path(os.environ.get("FLIGHTLINE_VAR_DIR") or "/tmp/flightline-load")
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/fl_load"
REDIS_URL = os.environ.get("LOAD_REDIS_URL") or "redis://127.0.0.1:6379/1"
PORTAL = f"http://127.0.0.1:{ARGS.port}"
SIM = f"http://127.0.0.1:{ARGS.sim_port}"
ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings", "FLIGHTLINE_VAR_DIR": str(VAR),
    "DATABASE_URL": DATABASE_URL, "CELERY_BROKER_URL": REDIS_URL, "CACHE_URL": REDIS_URL, "DB_CONN_MAX_AGE": "60",
    "DEBUG": "false", "SECRET_KEY": "bench-load-secret-key-not-for-production", "ALLOWED_HOSTS": "127.0.0.1",
    "PUBLIC_BASE_URL": PORTAL, "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0",
    "CELERY_TASK_ALWAYS_EAGER": "false", "LOG_LEVEL": "WARNING",
    "WIFLIGHT_DEMO_URL": SIM, "OUTBOUND_ALLOWED_NETWORKS": "127.0.0.0/8",
    "OPENID_TRUSTED_REALMS": f"https://www.wi-flight.net/,{SIM}/",
    # Converge quickly under the simulator's failures: short backoff, a frequent sweep.
    "WIFLIGHT_SYNC_BACKOFF_BASE": "1", "WIFLIGHT_SYNC_BACKOFF_CAP": "4", "WIFLIGHT_SYNC_SWEEP_SECONDS": "3",
    # The API clients would meet the hourly plan limit (1,000) within the run; not the subject.
    "API_RATE_LIMIT_STANDARD": "100000000",
}
os.environ.update(ENV)
SIM_ENV = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
SIM_ENV.update({"WIFLIGHT_SIM_DB": str(VAR / "sim.sqlite3"), "WIFLIGHT_SIM_BASE_URL": SIM,
                "WIFLIGHT_SIM_DEMO_NOTIFY_URL": f"{PORTAL}/wiflight/notify/demo/",
                "WIFLIGHT_SIM_NOTIFY_BACKOFF": "1", "WIFLIGHT_SIM_NOTIFY_BACKOFF_MAX": "4"})

PROCS: list[tuple[str, subprocess.Popen]] = []


def log(msg: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run(cmd: list[str], env=None) -> None:
    subprocess.run(cmd, cwd=REPO, env=env or os.environ, check=True, stdout=subprocess.DEVNULL)


def start(name: str, cmd: list[str], env=None) -> subprocess.Popen:
    out = open(VAR / f"{name}.log", "ab")
    proc = subprocess.Popen(cmd, cwd=REPO, env=env or os.environ, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    PROCS.append((name, proc))
    return proc


def stop_all() -> None:
    for _name, proc in reversed(PROCS):
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # only the session started for this process
        except ProcessLookupError:
            pass
    for _name, proc in reversed(PROCS):
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)
    PROCS.clear()


def wait_port(port: int, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on {port}")


def wait_log(name: str, text: str, timeout: float = 90) -> None:
    path, deadline = VAR / f"{name}.log", time.monotonic() + timeout
    while text not in (path.read_text(errors="replace") if path.exists() else ""):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start; see {path}")
        time.sleep(0.2)


# --- setup ------------------------------------------------------------------------------------

def fresh_services() -> None:
    import psycopg
    import redis

    url = urlparse(DATABASE_URL)
    with psycopg.connect(f"{url.scheme}://{url.netloc}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.path.lstrip("/")}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')
    redis.Redis.from_url(REDIS_URL).flushdb()  # our own db number only


def drop_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    with psycopg.connect(f"{url.scheme}://{url.netloc}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.path.lstrip("/")}" WITH (FORCE)')


def seed() -> dict:
    """The demo club, then (as its admin and dispatcher, through the services) an API key and
    the bookings Wi-Flight's flights will match. Returns what the locust users need."""
    import django

    django.setup()
    from django.utils import timezone as djtz

    from api.keys import api_key_create
    from clubs.models import Membership, Organization
    from dispatch.models import Aircraft, Booking, BookingCrew
    from dispatch.services.bookings import BookingInput, booking_create

    club = Organization.objects.get(slug="demo")
    members = {m.user.username: m for m in Membership.objects.filter(organization=club).select_related("user")}
    fleet = {a.registration: a for a in Aircraft.objects.filter(organization=club)}
    _key, raw_key = api_key_create(actor=members["admin"], name="load bench", scopes="read,write")
    tz = club.tz
    today = djtz.localdate(timezone=tz)
    targets = []
    for i in range(ARGS.targets):
        aircraft = fleet[LANE_AIRCRAFT[i % len(LANE_AIRCRAFT)]]
        day = today + timedelta(days=TARGETS_FIRST_DAY + (i // len(LANE_AIRCRAFT)) // 6)
        hour = 6 + 2 * ((i // len(LANE_AIRCRAFT)) % 6)
        begin = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
        booking = booking_create(actor=members["dispatcher"], data=BookingInput(
            aircraft=aircraft, start=begin, end=begin + timedelta(minutes=90), purpose=Booking.Purpose.RENTAL,
            crew=[(members[LANE_CREW[i % len(LANE_CREW)]], BookingCrew.Role.PIC)]))
        targets.append({"booking": booking.pk, "tail": aircraft.registration,
                        "start": booking.start.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")})
    return {
        "club": "demo", "sim": SIM, "api_key": raw_key, "today": today.isoformat(), "timezone": str(tz),
        "lanes_first_day": (today + timedelta(days=LANES_FIRST_DAY)).isoformat(),
        "aircraft": [{"id": fleet[r].pk, "registration": r} for r in LANE_AIRCRAFT],
        "crew": [members[name].pk for name in LANE_CREW],
        "password": "flightline-demo", "targets": targets,
    }


def start_stack() -> None:
    gunicorn = [str(BIN / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{ARGS.port}",
                "--workers", "4", "--timeout", "60", "--error-logfile", "-", "--log-level", "warning"]
    start("sim", [PY, "-m", "wiflight_sim", "serve", "--port", str(ARGS.sim_port), "--quiet"], env=SIM_ENV)
    start("gunicorn", gunicorn)
    celery = str(BIN / "celery")
    for i in range(2):
        var = VAR / f"worker{i}"
        var.mkdir(exist_ok=True)
        start(f"worker{i}", [celery, "-A", "portal", "worker", "--pool", "prefork", "--concurrency", "1",
                             "-l", "warning", "-n", f"load{i}@%h"], env={**os.environ, "FLIGHTLINE_VAR_DIR": str(var)})
    start("beat", [celery, "-A", "portal", "beat", "-l", "warning", "-s", str(VAR / "celerybeat-schedule")])
    wait_port(ARGS.sim_port, "the simulator")
    wait_port(ARGS.port, "gunicorn")
    warm_up()


def warm_up() -> None:
    """Each gunicorn worker imports the project's views on its first requests (seconds on this
    machine): send a few rounds from 8 threads so the load measures the steady state."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    paths = ["/healthz", "/accounts/login/", "/api/v1/organizations/demo", "/wiflight/notify/demo/"] * 8
    with ThreadPoolExecutor(8) as pool:
        for _ in range(3):
            list(pool.map(lambda p: requests.get(PORTAL + p, timeout=60), paths))


# --- state ------------------------------------------------------------------------------------

def queue_state() -> dict:
    import redis
    import requests
    from django.db import close_old_connections
    from django.db.models import F

    from integrations.wiflight.models import FlightNotification, ReservationSync

    close_old_connections()
    unsynced = ReservationSync.objects.exclude(state="synced", synced_version=F("wanted_version"))
    notifications = FlightNotification.objects.exclude(state="processed")
    sim_pending = [n for n in requests.get(f"{SIM}/sim/notifications", timeout=30).json()["notifications"]
                   if n.get("status") != "delivered"]
    return {"sync rows not synced": unsynced.count(), "sync rows dead": unsynced.filter(state="dead").count(),
            "notifications not processed": notifications.count(),
            "simulator notifications undelivered": len(sim_pending),
            "broker messages queued": redis.Redis.from_url(REDIS_URL).llen("celery")}


def drain(timeout: float) -> tuple[float, dict]:
    began = time.monotonic()
    while True:
        state = queue_state()
        if not any(state.values()) or time.monotonic() - began > timeout:
            return time.monotonic() - began, state
        time.sleep(1)


# --- checks -----------------------------------------------------------------------------------

class SimReader:
    """Reads reservations as the portal would, logged in as the demo fleet admin; a simulated
    failure (503) is asked again."""

    def __init__(self):
        import requests

        self.session = requests.Session()
        self._login()

    def _login(self):
        for _ in range(20):
            r = self.session.post(f"{SIM}/auth/login", data={"username": SIM_ADMIN, "password": SIM_PASSWORD})
            if r.status_code == 200:
                return
            time.sleep(0.1)
        raise RuntimeError(f"cannot log in to the simulator: {r.status_code}")

    def reservation(self, name: str):
        from integrations.wiflight.xml import parse_reservation_xml

        for _ in range(30):
            r = self.session.get(f"{SIM}/a/reservation/{name.replace('@', '%40')}", timeout=30)
            if r.status_code == 200:
                return parse_reservation_xml(r.content)
            if r.status_code == 404:
                return None
            if r.status_code in (401, 403):
                self._login()
            time.sleep(0.05)
        raise RuntimeError(f"GET reservation {name}: {r.status_code}")


def check_reservations() -> tuple[int, int, list[str]]:
    from dispatch.models import Booking
    from integrations.wiflight.models import ReservationSync

    reader, problems, checked = SimReader(), [], 0
    rows = (ReservationSync.objects.filter(kind="booking", organization__slug="demo", booking__isnull=False)
            .select_related("booking__aircraft").prefetch_related("booking__crew__membership"))
    for sync in rows:
        booking = sync.booking
        checked += 1
        there = reader.reservation(sync.name)
        expect_absent = booking.status == Booking.Status.CANCELLED or not booking.aircraft.has_wiflight_recorder
        if expect_absent:
            if there is not None:
                problems.append(f"booking {booking.pk} ({booking.status}) still has reservation {sync.name}")
            continue
        if there is None:
            problems.append(f"booking {booking.pk} has no reservation {sync.name} at the simulator")
            continue
        crew = sorted(c.membership.wiflight_username for c in booking.crew.all()
                      if c.membership.is_active and c.membership.wiflight_username)
        want = (booking.aircraft.registration, booking.start, booking.end, crew)
        got = (there.tail, there.start, there.end, sorted(u.name for u in there.crew))
        if want != got:
            problems.append(f"booking {booking.pk}: portal {want} != simulator {got}")
    return checked, len(problems), problems


def check_flights(journal: list[dict]) -> tuple[int, int, list[str]]:
    import requests

    from flights.models import Flight
    from integrations.wiflight.models import FlightNotification, ReservationSync

    problems = []
    sim_notes = requests.get(f"{SIM}/sim/notifications", timeout=30).json()["notifications"]
    flown = [e for e in journal if e["op"] == "flight"]
    by_flight = {str(e["sim_flight"]): e for e in flown}
    for e in flown:
        if not e["matched"]:
            problems.append(f"simulated flight {e['sim_flight']} matched no reservation (booking {e['booking']})")
    # One notification per (flight, reservation) matched: the booking's and the aircraft's
    # maintenance subscription each get one; each is stored once.
    received = Counter(FlightNotification.objects.filter(organization__slug="demo")
                       .values_list("wiflight_flight_id", "reservation_name"))
    notes = 0
    for note in sim_notes:
        key = (str(note["flight"]), note["reservation"])
        if key[0] not in by_flight:
            continue  # not one of ours
        notes += 1
        if received[key] != 1:
            problems.append(f"notification {note['id']} (flight {key[0]}, {key[1]}) stored {received[key]} times")
    names = dict(ReservationSync.objects.filter(booking__isnull=False).values_list("booking_id", "name"))
    for flight_id, e in by_flight.items():
        rows = list(Flight.objects.filter(organization__slug="demo", wiflight_id=flight_id))
        if len(rows) != 1:
            problems.append(f"simulated flight {flight_id} became {len(rows)} flights")
        elif rows[0].booking_id != e["booking"]:
            problems.append(f"flight {flight_id} is on booking {rows[0].booking_id}, not {e['booking']} ({names.get(e['booking'])})")
    return notes, len(problems), problems


def check_journal(journal: list[dict]) -> tuple[int, int, list[str]]:
    """Every write the load was told succeeded is there, as last written."""
    from dispatch.models import Booking
    from flights.models import LogbookEntry

    problems, last = [], {}
    for e in journal:
        if e["op"] in ("create", "move", "cancel"):
            last[e["pk"]] = e
    bookings = Booking.objects.in_bulk(list(last))
    for pk, e in last.items():
        b = bookings.get(pk)
        if b is None:
            problems.append(f"booking {pk} ({e['op']} answered) is missing")
        elif e["op"] == "cancel":
            if b.status != Booking.Status.CANCELLED:
                problems.append(f"booking {pk} was cancelled but is {b.status}")
        elif (b.aircraft_id, b.start.isoformat(), b.end.isoformat()) != (e["aircraft"], e["start"], e["end"]):
            problems.append(f"booking {pk} is {b.aircraft_id} {b.start}-{b.end}, last {e['op']} said "
                            f"{e['aircraft']} {e['start']}-{e['end']}")
    logs = [e["id"] for e in journal if e["op"] == "flight_log"]
    found = LogbookEntry.objects.filter(pk__in=logs).count()
    if found != len(logs):
        problems.append(f"{len(logs) - found} of {len(logs)} flight-log entries the API created are missing")
    return len(last) + len(logs), len(problems), problems


# --- locust -----------------------------------------------------------------------------------

def run_locust(state: dict) -> Path:
    (VAR / "load-state.json").write_text(json.dumps(state))
    journal = VAR / "journal.jsonl"
    journal.unlink(missing_ok=True)
    env = {**os.environ, "LOAD_STATE": str(VAR / "load-state.json"), "LOAD_JOURNAL": str(journal)}
    cmd = [str(BIN / "locust"), "-f", str(REPO / "bench" / "locustfile.py"), "--headless", "--host", PORTAL,
           "--users", str(ARGS.users), "--spawn-rate", str(ARGS.spawn_rate), "--run-time", f"{ARGS.seconds}s",
           "--csv", str(VAR / "locust"), "--only-summary", "--stop-timeout", "10",
           "--loglevel", "WARNING", "--logfile", str(VAR / "locust.log")]
    subprocess.run(cmd, cwd=REPO, env=env, stdout=open(VAR / "locust.out", "wb"), stderr=subprocess.STDOUT)
    return journal


def locust_table() -> tuple[list[str], int, int]:
    """p50/p95 per endpoint, and p50 over the baseline's p50 (/healthz, asked throughout)."""
    import csv

    with open(VAR / "locust_stats.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    base = next((float(r["50%"]) for r in rows if r["Name"].startswith("baseline:")), 0.0) or 1.0
    lines = [f"{'endpoint':<34} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6} {'p50/base':>8}"]
    total = errors = 0
    for r in rows:
        name = r["Name"] if r["Name"] != "Aggregated" else "all"
        if name == "all":
            lines.append("-" * 82)
        else:
            errors += int(r["Failure Count"])
            total += int(r["Request Count"])
        lines.append(f"{name[:34]:<34} {int(r['Request Count']):>8} {int(r['Failure Count']):>6} "
                     f"{r['50%']:>7} {r['95%']:>7} {float(r['Requests/s']):>6.1f} {float(r['50%']) / base:>8.1f}")
    return lines, total, errors


def worker_failures() -> list[str]:
    """Tasks that raised in the Celery workers (each is retried by a sweep; listed, not a check)."""
    found = []
    for path in sorted(VAR.glob("worker*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if "raised unexpected" in line:
                text = line.split("] ", 1)[-1].replace("\\n", " ")
                context = text[text.find("CONTEXT:"):] if "CONTEXT:" in text else ""
                found.append((text[:150] + (" ... " + context[:90] if context else "")).strip())
    return found


def failure_lines() -> list[str]:
    import csv

    path = VAR / "locust_failures.csv"
    if not path.exists():
        return []
    with open(path, newline="") as fh:
        return [f"  {r['Occurrences']:>4} x {r['Method']} {r['Name']}: {r['Error'][:200]}" for r in csv.DictReader(fh)]


def main() -> int:
    if VAR.exists() and not ARGS.keep:
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "sim.sqlite3").unlink(missing_ok=True)
    log(f"var dir {VAR}; database {DATABASE_URL}; redis {REDIS_URL}; portal {PORTAL}; simulator {SIM}")
    fresh_services()
    log("collecting static files with the production storage")
    run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"])
    log("migrating and seeding the demo club")
    run([PY, "manage.py", "migrate", "--noinput", "-v", "0"])
    run([PY, "manage.py", "seed_demo"])
    run([PY, "-m", "wiflight_sim", "migrate", "--noinput", "-v", "0"], env=SIM_ENV)
    run([PY, "-m", "wiflight_sim", "seed_demo"], env=SIM_ENV)
    import requests

    try:
        log("starting the simulator, gunicorn, 2 Celery workers and beat")
        start_stack()
        state = seed()
        log(f"seeded the demo club, an API key and {len(state['targets'])} bookings for flights; draining the sync")
        seconds, left = drain(ARGS.drain)
        if any(left.values()):
            raise RuntimeError(f"the seed's sync did not drain in {seconds:.0f}s: {left}")
        requests.post(f"{SIM}/sim/faults", json={"fail_fraction": ARGS.fail_fraction}, timeout=10).raise_for_status()
        log(f"simulator failing {ARGS.fail_fraction:.0%} of API requests; locust: {ARGS.users} users, {ARGS.seconds}s")
        journal_path = run_locust(state)
        table, total, errors = locust_table()
        journal = [json.loads(line) for line in journal_path.read_text().splitlines() if line.strip()]
        log(f"load done ({total} requests, {errors} errors); draining (at most {ARGS.drain}s)")
        drained_in, left = drain(ARGS.drain)
        sim_stats = requests.get(f"{SIM}/sim/stats", timeout=30).json()
        failed_503 = sum(n for k, n in sim_stats["requests_by_method_status"].items() if k.endswith(" 503"))
        checks = [("reservations equal their bookings", *check_reservations()),
                  ("notifications became one flight each", *check_flights(journal)),
                  ("journalled writes all in the database", *check_journal(journal))]
        checks.append(("queues drained", sum(left.values()), 0 if not any(left.values()) else 1,
                       [f"{k}: {v}" for k, v in left.items() if v]))
        task_failures = worker_failures()
    finally:
        stop_all()
    ops = Counter(e["op"] for e in journal)
    print()
    print(f"bench/load.py: {ARGS.users} users for {ARGS.seconds}s; gunicorn 4 workers, 2 Celery workers + beat, "
          f"PostgreSQL, Redis; simulator failing {ARGS.fail_fraction:.0%} ({failed_503} answers 503)")
    print()
    print("\n".join(table))
    print(f"load average at the end (2 cores, shared): {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()
    print("writes journalled: " + ", ".join(f"{op} {n}" for op, n in sorted(ops.items())))
    print(f"drained in {drained_in:.1f}s after the load (limit {ARGS.drain}s)")
    print()
    print(f"{'check':<40} {'items':>7} {'failed':>7}  result")
    failed_any = errors > 0
    for name, items, failed, problems in checks:
        print(f"{name:<40} {items:>7} {failed:>7}  {'ok' if not failed else 'FAIL'}")
        failed_any |= bool(failed)
        for line in problems[:10]:
            print(f"    {line}")
    print(f"{'request errors (locust)':<40} {total:>7} {errors:>7}  {'ok' if not errors else 'FAIL'}")
    for line in failure_lines()[:15]:
        print(line)
    print(f"{'worker tasks that raised (swept again)':<40} {'':>7} {len(task_failures):>7}  "
          f"{'none' if not task_failures else 'see below'}")
    for line in task_failures[:5]:
        print(f"    {line}")
    if not ARGS.keep:
        drop_database()
    print()
    print("FAILED" if failed_any else "all checks passed")
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main())
