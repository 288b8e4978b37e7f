"""Reservation sync throughput, fairness, memory and latency: real Celery workers, Redis,
PostgreSQL, simulator.

    .venv/bin/python bench/sync.py [--changes 10000] [--bookings 2000] [--latency 50] [--clubs 1000]

Creates (and finally drops) its own PostgreSQL database, migrates it, starts a simulator
(bench/sim.py) and 1, then 2 worker processes (concurrency 1 each; the first embeds beat
for the sweep). Bookings are bulk-inserted; the changes go through the real marking path:
each round bumps every booking's queue row with the same UPDATE a booking write does
(sync_marking._bump_fields) and publishes one kick per row (sync_marking.enqueue_send), as
each write's on_commit would. A bare client's PUT/s is measured right before and right after
each run (same number of clients as workers) and the run is compared with their mean: the
bare client PUTs the very documents the sync sends (built once beforehand, crew and all), so
the ratio is the sync's own overhead; the rate for bench/sim.py's minimal documents is shown
beside it.
Memory: VmRSS of the worker's main process and of its children (the pool child that drained,
and the embedded beat) after the 1-worker drain, and again after the fairness runs.
Fairness: --clubs clubs with 2 queued changes each on one worker (after one such run, not
counted, that warms the caches); the same run again with one more club whose Wi-Flight
account is refused (403 at login) or too slow (every request of that account delayed beyond
the worker's client timeout), each with its 200 queued changes; --fairness-rounds rounds of
the three, each round in a rotated order; a row reads the median time the other clubs took
against the median without the failing club.
Latency: single bookings created through the real booking service with one idle worker,
timed from the commit to the reservation answering GET at the simulator.

DATABASE_URL and CELERY_BROKER_URL default to
postgres://postgres@127.0.0.1:5432/fl_sync_bench and redis://127.0.0.1:6379/10.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.sim import (  # noqa: E402
    BROKEN_DOMAIN, BROKEN_USERNAME, DOMAIN, PASSWORD, TAIL, USERNAME, measure_put_throughput, running_simulator)

DATABASE_URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/fl_sync_bench"
BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/10"
VAR_DIR = tempfile.mkdtemp(prefix="flightline-bench-sync-")
WORKER_ENV = {
    "DATABASE_URL": DATABASE_URL, "CELERY_BROKER_URL": BROKER_URL, "FLIGHTLINE_VAR_DIR": VAR_DIR,
    "DEBUG": "false", "SECRET_KEY": "bench-sync-secret-key", "CELERY_TASK_ALWAYS_EAGER": "false",
    "WIFLIGHT_SYNC_SWEEP_SECONDS": "2", "WIFLIGHT_SYNC_BACKOFF_BASE": "1", "WIFLIGHT_SYNC_BACKOFF_CAP": "5",
    "DJANGO_SETTINGS_MODULE": "portal.settings", "LOG_LEVEL": "WARNING",
    "OUTBOUND_ALLOWED_NETWORKS": "127.0.0.0/8",  # the simulator runs on loopback (core/outbound.py)
}
os.environ.update(WORKER_ENV)
# The simulator (started from this environment) hashes its accounts' passwords cheaply: the
# fairness rows log 1,000 clubs in, at some 0.8 s a login with the default hash.
os.environ["WIFLIGHT_SIM_FAST_PASSWORDS"] = "true"
if not DATABASE_URL.startswith(("postgres://", "postgresql://")) or not BROKER_URL.startswith("redis://"):
    sys.exit("bench/sync.py measures the scaled configuration: PostgreSQL DATABASE_URL and redis:// broker")


def _recreate_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = f"{url.scheme}://{url.netloc}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    with psycopg.connect(f"{url.scheme}://{url.netloc}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.path.lstrip("/")}" WITH (FORCE)')


class Workers:
    def __init__(self):
        self.procs: list[subprocess.Popen] = []

    def start(self, count: int, env: dict | None = None) -> None:
        for i in range(count):
            log = Path(VAR_DIR) / f"worker{len(self.procs)}.log"
            log.unlink(missing_ok=True)
            var = Path(VAR_DIR) / f"w{len(self.procs)}"
            var.mkdir(exist_ok=True)
            cmd = [str(REPO / ".venv/bin/celery"), "-A", "portal", "worker", "--pool", "prefork", "--concurrency", "1",
                   "-l", "info", "-n", f"bench{len(self.procs)}@%h", "--logfile", str(log)] + (["-B"] if i == 0 else [])
            self.procs.append(subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **(env or {}), "FLIGHTLINE_VAR_DIR": str(var)},
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                               start_new_session=True))
            deadline = time.monotonic() + 60
            while "ready." not in (log.read_text() if log.exists() else ""):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"worker did not start; see {log}")
                time.sleep(0.1)

    def rss(self) -> list[tuple[str, int]]:
        """(process, VmRSS in kB) of each worker's main process and its children."""
        found = []
        for i, proc in enumerate(self.procs):
            found.append((f"worker{i} main", _vm_rss(proc.pid)))
            for child in _children(proc.pid):
                found.append((f"worker{i} child {child}", _vm_rss(child)))
        return found

    def stop(self) -> None:
        for proc in self.procs:
            _killpg(proc, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
            _killpg(proc, signal.SIGKILL)
            proc.wait(timeout=10)
        self.procs = []


def _vm_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(c) for c in text)
    return found


def _killpg(proc, sig) -> None:
    try:
        os.killpg(proc.pid, sig)  # only the session we started for this worker
    except ProcessLookupError:
        pass


def _setup(base_url: str, bookings: int):
    from django.db import transaction

    from dispatch.models import Aircraft, Booking, BookingCrew
    from integrations.wiflight.models import ReservationSync, WiFlightConnection
    from clubs.models import Membership, Organization, User

    club = Organization.objects.create(name="Bench Club", slug="bench", timezone="UTC", wiflight_user_domain=DOMAIN)
    aircraft = Aircraft.objects.create(organization=club, registration=TAIL, aircraft_type="Cessna 172S")
    dispatcher_user = User.objects.create_user(username="dispatch", email="d@bench.test", password="x", full_name="Dispatch")
    dispatcher = Membership.objects.create(organization=club, user=dispatcher_user, is_dispatcher=True)
    pilots = []
    for i in range(20):
        user = User.objects.create_user(username=f"p{i}", email=f"p{i}@bench.test", password="x", full_name=f"Pilot {i}")
        pilots.append(Membership.objects.create(organization=club, user=user, is_pilot=True,
                                                wiflight_username=f"p{i}@{DOMAIN}"))
    conn = WiFlightConnection(organization=club, enabled=True, base_url=base_url, username=USERNAME,
                              name_domain=DOMAIN, match_domain="bench")
    conn.set_password(PASSWORD)
    conn.save()
    first = datetime(2031, 1, 1, tzinfo=timezone.utc)
    now = datetime.now(timezone.utc)
    with transaction.atomic():
        rows = Booking.objects.bulk_create(
            Booking(organization=club, aircraft=aircraft, start=first + timedelta(hours=i),
                    end=first + timedelta(hours=i, minutes=50), created_by=dispatcher_user) for i in range(bookings))
        BookingCrew.objects.bulk_create(BookingCrew(booking=b, membership=pilots[i % len(pilots)], role="pic")
                                        for i, b in enumerate(rows))
        ReservationSync.objects.bulk_create(
            ReservationSync(organization=club, name=conn.reservation_name(str(b.uid)), kind="booking", booking=b,
                            wanted_version=1, synced_version=1, state="synced", next_attempt_at=now) for b in rows)
    return club, aircraft, dispatcher, pilots, conn


def _bump_all_and_kick() -> None:
    """One booking write per row, in bulk: the same UPDATE, then one kick per row."""
    from django.db import transaction
    from django.utils import timezone as djtz

    from integrations.wiflight import sync_marking
    from integrations.wiflight.models import ReservationSync

    rows = ReservationSync.objects.filter(organization__slug="bench")
    with transaction.atomic():
        rows.update(**sync_marking._bump_fields(djtz.now()))
    for pk in rows.values_list("pk", flat=True):
        sync_marking.enqueue_send(pk)


def _all_synced(**only) -> bool:
    from django.db.models import F

    from integrations.wiflight.models import ReservationSync

    return not ReservationSync.objects.filter(**only).exclude(state="synced", synced_version=F("wanted_version")).exists()


def _sim_puts(base_url: str) -> int:
    import requests

    stats = requests.get(f"{base_url}/sim/stats", timeout=10).json()
    return sum(n for key, n in stats["requests_by_method_status"].items() if key.startswith("PUT "))


def _documents() -> list[tuple[str, bytes]]:
    """(name, body) of every bench reservation as the sync sends it (its crew and all), built
    once beforehand: what a bare client PUTs to measure Wi-Flight's rate for the same work."""
    from integrations.wiflight.documents import wanted_reservations
    from integrations.wiflight.models import ReservationSync, WiFlightConnection
    from integrations.wiflight.xml import build_reservation_xml

    rows = list(ReservationSync.objects.filter(organization__slug="bench").select_related("aircraft").order_by("pk"))
    connections = {c.organization_id: c for c in WiFlightConnection.objects.filter(organization__slug="bench")}
    wanted = wanted_reservations(rows, connections)
    return [(row.name, build_reservation_xml(wanted[row.pk])) for row in rows]


def _bare(base_url: str, count: int, documents: list[tuple[str, bytes]]) -> tuple[float, float]:
    """A bare client's PUT/s (`count` clients): the sync's own documents, and new minimal ones."""
    same = measure_put_throughput(base_url, clients=count, total_puts=300, max_seconds=5, documents=documents)
    simple = measure_put_throughput(base_url, clients=count, total_puts=300, max_seconds=5)
    return same["puts_per_second"], simple["puts_per_second"]


def _run(base_url: str, workers: Workers, count: int, changes: int, bookings: int, timeout: float) -> dict:
    import requests

    from portal.celery import app

    app.control.purge()
    documents = _documents()
    requests.post(f"{base_url}/sim/reset", json={}, timeout=10)
    bare_before = _bare(base_url, count, documents)
    requests.post(f"{base_url}/sim/reset", json={}, timeout=10)
    workers.start(count)
    rounds = max(1, changes // bookings)
    began = time.monotonic()
    for _ in range(rounds):
        _bump_all_and_kick()
    while not _all_synced(organization__slug="bench"):
        if time.monotonic() - began > timeout:
            raise RuntimeError(f"{count} workers did not drain {changes} changes within {timeout:.0f}s")
        time.sleep(0.05)
    seconds = time.monotonic() - began
    puts = _sim_puts(base_url)
    rss = workers.rss()
    workers.stop()
    bare_after = _bare(base_url, count, documents)
    return {"workers": count, "changes": rounds * bookings, "puts": puts, "seconds": seconds, "rss": rss,
            "bare": (bare_before[0] + bare_after[0]) / 2, "bare_simple": (bare_before[1] + bare_after[1]) / 2}


FAIRNESS_ENV = {  # the client timeout the slow account exceeds; the default backoff schedule
    "WIFLIGHT_CONNECT_TIMEOUT": "1", "WIFLIGHT_READ_TIMEOUT": "1",
    "WIFLIGHT_SYNC_BACKOFF_BASE": "5", "WIFLIGHT_SYNC_BACKOFF_CAP": "1800",
}
SLOW_ACCOUNT_DELAY = 2.0  # seconds, beyond the 1 s read timeout
BROKEN_CHANGES = 200


def _setup_clubs(base_url: str, clubs: int, creator) -> None:
    """`clubs` healthy clubs with 2 bookings each, and one club on the account the faults hit
    (created first: its rows are the oldest, at the head of the queue, the worst case)."""
    from django.db import transaction

    from clubs.models import Organization
    from dispatch.models import Aircraft, Booking
    from integrations.wiflight.models import ReservationSync, WiFlightConnection

    token = WiFlightConnection()
    token.set_password(PASSWORD)
    first, now = datetime(2032, 1, 1, tzinfo=timezone.utc), datetime.now(timezone.utc)
    plan = [("broken", BROKEN_USERNAME, BROKEN_CHANGES)] + [(f"f{i}", USERNAME, 2) for i in range(clubs)]
    domains = {BROKEN_USERNAME: BROKEN_DOMAIN, USERNAME: DOMAIN}
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            Organization(name=f"Club {slug}", slug=slug, timezone="UTC", wiflight_user_domain=DOMAIN)
            for slug, _u, _n in plan)
        planes = Aircraft.objects.bulk_create(
            Aircraft(organization=o, registration=TAIL, aircraft_type="Cessna 172S") for o in orgs)
        conns = WiFlightConnection.objects.bulk_create(
            WiFlightConnection(organization=o, enabled=True, base_url=base_url, username=user, name_domain=domains[user],
                               match_domain=f"bench-{o.slug}", password_encrypted=token.password_encrypted)
            for o, (_s, user, _n) in zip(orgs, plan))
        rows = Booking.objects.bulk_create(
            Booking(organization=o, aircraft=a, start=first + timedelta(hours=i), end=first + timedelta(hours=i, minutes=50),
                    created_by=creator) for o, a, (_s, _u, n) in zip(orgs, planes, plan) for i in range(n))
        by_org = {c.organization_id: c for c in conns}
        ReservationSync.objects.bulk_create(
            ReservationSync(organization_id=b.organization_id, name=by_org[b.organization_id].reservation_name(str(b.uid)),
                            kind="booking", booking=b, wanted_version=1, synced_version=1, state="synced",
                            next_attempt_at=now) for b in rows)


def _fairness_run(base_url: str, workers: Workers, fault: str, timeout: float) -> dict:
    import requests
    from django.db import transaction
    from django.db.models import Count, F, Max
    from django.utils import timezone as djtz

    from integrations.wiflight import sync_marking
    from integrations.wiflight.models import ReservationSync
    from portal.celery import app

    app.control.purge()
    requests.post(f"{base_url}/sim/reset", json={}, timeout=10)
    if fault != "none":
        faults = {"refuse": True} if fault == "403" else {"delay": SLOW_ACCOUNT_DELAY}
        requests.post(f"{base_url}/sim/faults", json={"accounts": {BROKEN_USERNAME: faults}}, timeout=10).raise_for_status()
    everyone = ReservationSync.objects.exclude(organization__slug="bench")
    everyone.update(state="synced", synced_version=F("wanted_version"), attempts=0, pending_since=None,
                    last_error="", lease_owner="", lease_until=None, next_attempt_at=djtz.now())
    workers.start(1, env=FAIRNESS_ENV)
    rows = everyone if fault != "none" else everyone.exclude(organization__slug="broken")
    began = time.monotonic()
    with transaction.atomic():
        rows.update(**sync_marking._bump_fields(djtz.now()))
    for pk in rows.order_by("pk").values_list("pk", flat=True):
        sync_marking.enqueue_send(pk)
    healthy = {"organization__slug__startswith": "f"}
    while not _all_synced(**healthy):
        if time.monotonic() - began > timeout:
            raise RuntimeError(f"fairness run {fault} did not drain within {timeout:.0f}s")
        time.sleep(0.05)
    seconds = time.monotonic() - began
    rss = workers.rss()
    workers.stop()
    log = Path(VAR_DIR) / "worker0.log"  # kept per run: each task and how long it took
    if log.exists():
        log.rename(Path(VAR_DIR) / f"worker0-fairness-{fault}-{int(time.time())}.log")
    theirs = ReservationSync.objects.filter(organization__slug="broken")
    broken = dict(theirs.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    broken["attempts"] = theirs.aggregate(n=Max("attempts"))["n"]  # how often the club was tried
    return {"fault": fault, "seconds": seconds, "rss": rss, "broken": broken,
            "healthy_rows": ReservationSync.objects.filter(**healthy).count()}


def _latency(base_url: str, workers: Workers, club, aircraft, dispatcher, pilots, conn, samples: int) -> list[float]:
    from dispatch.services.bookings import BookingInput, booking_create
    from integrations.wiflight.client import WiFlightClient, WiFlightError

    from portal.celery import app

    app.control.purge()
    workers.start(1)
    time.sleep(1)
    reader = WiFlightClient(base_url, USERNAME, PASSWORD)
    first = datetime(2035, 1, 1, tzinfo=timezone.utc)
    seen = []
    for i in range(samples):
        booking = booking_create(actor=dispatcher, data=BookingInput(
            aircraft=aircraft, start=first + timedelta(hours=i), end=first + timedelta(hours=i, minutes=30),
            crew=[(pilots[i % len(pilots)], "pic")]))
        committed = time.monotonic()  # booking_create returns after its commit (and the kick)
        name = conn.reservation_name(str(booking.uid))
        while True:
            try:
                reader.get_reservation(name)
                break
            except WiFlightError as exc:
                if exc.status != 404 or time.monotonic() - committed > 30:
                    raise
            time.sleep(0.005)
        seen.append(time.monotonic() - committed)
    reader.session.close()
    workers.stop()
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--bookings", type=int, default=2_000, help="distinct reservations the changes touch")
    parser.add_argument("--latency", type=int, default=50, help="single bookings timed commit -> visible")
    parser.add_argument("--timeout", type=float, default=150, help="per run")
    parser.add_argument("--clubs", type=int, default=1000, help="clubs queued in the fairness rows (0: skip them)")
    parser.add_argument("--fairness-rounds", type=int, default=3,
                        help="rounds of (none, 403, slow), each in a rotated order; the rows compare medians")
    args = parser.parse_args()

    _recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    workers = Workers()
    try:
        with running_simulator() as base_url:
            club, aircraft, dispatcher, pilots, conn = _setup(base_url, args.bookings)
            results = [_run(base_url, workers, n, args.changes, args.bookings, args.timeout) for n in (1, 2)]
            latency = _latency(base_url, workers, club, aircraft, dispatcher, pilots, conn, args.latency)
            fairness = []
            if args.clubs:
                _setup_clubs(base_url, args.clubs, dispatcher.user)
                # Not counted: the first run warms PostgreSQL's and the simulator's caches (it
                # was up to 50 % slower than the later runs without a failing club).
                _fairness_run(base_url, workers, "none", args.timeout)
                # One run takes about a minute at 1,000 clubs and two runs of the same kind differ
                # by up to 10 %: rounds in rotated orders, so drift hits every kind alike.
                kinds = ["none", "403", "slow"]
                fairness = [_fairness_run(base_url, workers, fault, args.timeout)
                            for r in range(args.fairness_rounds) for fault in kinds[r % 3:] + kinds[:r % 3]]
    finally:
        workers.stop()
        connections.close_all()
        _drop_database()

    print("\nbare: a requests client PUTting the same documents as the sync (its crew and all), beside the")
    print("simple one-line documents of bench/sim.py (minimal: no crew), just before and after each run")
    print(f"\n{'workers':>7} {'changes':>7} {'PUTs':>6} {'PUT/chg':>7} {'seconds':>7} {'chg/s':>7} "
          f"{'PUT/s':>6} {'bare PUT/s':>10} {'of bare':>7} {'bare simple':>11} {'of simple':>9}")
    for r in results:
        put_rate = r["puts"] / r["seconds"]
        print(f"{r['workers']:>7} {r['changes']:>7} {r['puts']:>6} {r['puts'] / r['changes']:>7.2f} "
              f"{r['seconds']:>7.1f} {r['changes'] / r['seconds']:>7.0f} {put_rate:>6.0f} {r['bare']:>10.0f} "
              f"{put_rate / r['bare']:>7.2f} {r['bare_simple']:>11.0f} {put_rate / r['bare_simple']:>9.2f}")
    print(f"\nresident memory after the 1-worker drain of {results[0]['changes']} changes (VmRSS):")
    for name, kb in results[0]["rss"]:
        print(f"  {name:<24} {kb / 1024:6.1f} MB")
    if fairness:
        medians = {kind: statistics.median(r["seconds"] for r in fairness if r["fault"] == kind)
                   for kind in ("none", "403", "slow")}
        print(f"\nfairness, 1 worker, {args.clubs} clubs x 2 changes; the failing club: {BROKEN_CHANGES} changes, "
              f"oldest first; {args.fairness_rounds} rounds, median")
        print(f"{'failing club':>14} {'others drained in':>18} {'vs without':>10}  {'each run':<24} failing club's rows")
        for kind, median in medians.items():
            runs = [r for r in fairness if r["fault"] == kind]
            label = {"none": "none", "403": "403 at login", "slow": f"{SLOW_ACCOUNT_DELAY}s > timeout"}[kind]
            each = " ".join(f"{r['seconds']:.1f}" for r in runs)
            print(f"{label:>14} {median:>17.1f}s {median / medians['none']:>10.2f}  {each:<24} {runs[-1]['broken']}")
        print("resident memory after the fairness runs (VmRSS): " + ", ".join(
            f"{name} {kb / 1024:.1f} MB" for name, kb in fairness[-1]["rss"]))
    ranked = sorted(latency)
    p95 = ranked[min(len(ranked) - 1, int(0.95 * len(ranked)))]  # nearest rank
    print(f"\ncommit -> visible at the simulator, idle worker, {len(latency)} bookings: "
          f"median {statistics.median(latency) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {ranked[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
