"""Reservation sync throughput and latency: real Celery workers, Redis, PostgreSQL, simulator.

    .venv/bin/python bench/sync.py [--changes 10000] [--bookings 2000] [--latency 50]

Creates (and finally drops) its own PostgreSQL database, migrates it, starts a simulator
(bench/sim.py) and 1, 2, then 4 worker processes (concurrency 1 each; the first embeds beat
for the sweep). Bookings are bulk-inserted; the changes go through the real marking path:
each round bumps every booking's queue row with the same UPDATE a booking write does
(sync_marking._bump_fields) and publishes one kick per row, as each write's on_commit would.
Latency: single bookings created through the real booking service with one idle worker,
timed from the commit to the reservation answering GET at the simulator.

DATABASE_URL and CELERY_BROKER_URL default to
postgres://postgres@127.0.0.1:5432/flightline_bench_sync and redis://127.0.0.1:6379/13.
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

from bench.sim import DOMAIN, PASSWORD, TAIL, USERNAME, measure_put_throughput, running_simulator  # noqa: E402

DATABASE_URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/flightline_bench_sync"
BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/13"
VAR_DIR = tempfile.mkdtemp(prefix="flightline-bench-sync-")
WORKER_ENV = {
    "DATABASE_URL": DATABASE_URL, "CELERY_BROKER_URL": BROKER_URL, "FLIGHTLINE_VAR_DIR": VAR_DIR,
    "DEBUG": "true", "SECRET_KEY": "bench-sync-secret-key", "CELERY_TASK_ALWAYS_EAGER": "false",
    "WIFLIGHT_SYNC_SWEEP_SECONDS": "2", "WIFLIGHT_SYNC_BACKOFF_BASE": "1", "WIFLIGHT_SYNC_BACKOFF_CAP": "5",
    "DJANGO_SETTINGS_MODULE": "portal.settings", "LOG_LEVEL": "WARNING",
    "OUTBOUND_ALLOWED_NETWORKS": "127.0.0.0/8",  # the simulator runs on loopback (core/outbound.py)
}
os.environ.update(WORKER_ENV)
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

    def start(self, count: int) -> None:
        for i in range(count):
            log = Path(VAR_DIR) / f"worker{len(self.procs)}.log"
            log.unlink(missing_ok=True)
            var = Path(VAR_DIR) / f"w{len(self.procs)}"
            var.mkdir(exist_ok=True)
            cmd = [str(REPO / ".venv/bin/celery"), "-A", "portal", "worker", "--pool", "prefork", "--concurrency", "1",
                   "-l", "info", "-n", f"bench{len(self.procs)}@%h", "--logfile", str(log)] + (["-B"] if i == 0 else [])
            self.procs.append(subprocess.Popen(cmd, cwd=REPO, env={**os.environ, "FLIGHTLINE_VAR_DIR": str(var)},
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                               start_new_session=True))
            deadline = time.monotonic() + 60
            while "ready." not in (log.read_text() if log.exists() else ""):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"worker did not start; see {log}")
                time.sleep(0.1)

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
    from integrations.wiflight.tasks import sync_reservation

    with transaction.atomic():
        ReservationSync.objects.update(**sync_marking._bump_fields(djtz.now()))
    for pk in ReservationSync.objects.values_list("pk", flat=True):
        sync_reservation.delay(pk)


def _all_synced() -> bool:
    from django.db.models import F

    from integrations.wiflight.models import ReservationSync

    return not ReservationSync.objects.exclude(state="synced", synced_version=F("wanted_version")).exists()


def _sim_puts(base_url: str) -> int:
    import requests

    stats = requests.get(f"{base_url}/sim/stats", timeout=10).json()
    return sum(n for key, n in stats["requests_by_method_status"].items() if key.startswith("PUT "))


def _run(base_url: str, workers: Workers, count: int, changes: int, bookings: int, timeout: float) -> dict:
    import requests

    from portal.celery import app

    app.control.purge()
    requests.post(f"{base_url}/sim/reset", json={}, timeout=10)
    workers.start(count)
    rounds = max(1, changes // bookings)
    began = time.monotonic()
    for _ in range(rounds):
        _bump_all_and_kick()
    while not _all_synced():
        if time.monotonic() - began > timeout:
            raise RuntimeError(f"{count} workers did not drain {changes} changes within {timeout:.0f}s")
        time.sleep(0.1)
    seconds = time.monotonic() - began
    puts = _sim_puts(base_url)
    workers.stop()
    return {"workers": count, "changes": rounds * bookings, "puts": puts, "seconds": seconds}


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
            own = {n: measure_put_throughput(base_url, clients=n, total_puts=400, max_seconds=10)["puts_per_second"]
                   for n in (1, 2, 4)}
            results = [_run(base_url, workers, n, args.changes, args.bookings, args.timeout) for n in (1, 2, 4)]
            latency = _latency(base_url, workers, club, aircraft, dispatcher, pilots, conn, args.latency)
    finally:
        workers.stop()
        connections.close_all()
        _drop_database()

    print(f"\n{'workers':>7} {'changes':>7} {'PUTs':>6} {'PUT/chg':>7} {'seconds':>7} {'chg/s':>7} "
          f"{'PUT/s':>6} {'sim PUT/s':>9} {'of sim':>6}")
    for r in results:
        put_rate = r["puts"] / r["seconds"]
        print(f"{r['workers']:>7} {r['changes']:>7} {r['puts']:>6} {r['puts'] / r['changes']:>7.2f} "
              f"{r['seconds']:>7.1f} {r['changes'] / r['seconds']:>7.0f} {put_rate:>6.0f} {own[r['workers']]:>9.0f} "
              f"{put_rate / own[r['workers']]:>6.2f}")
    ranked = sorted(latency)
    p95 = ranked[min(len(ranked) - 1, int(0.95 * len(ranked)))]  # nearest rank
    print(f"\ncommit -> visible at the simulator, idle worker, {len(latency)} bookings: "
          f"median {statistics.median(latency) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {ranked[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
