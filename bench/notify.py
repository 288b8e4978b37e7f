"""Notifications per second through the real receiver into the database, against a baseline
endpoint that only stores the raw body (bench/notify_baseline.py), measured in the same run,
with one and two gunicorn worker processes on loopback.

    .venv/bin/python bench/notify.py [--rounds 3] [--seconds 5] [--clients 8]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fl_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python bench/notify.py --fresh-postgres   # drops and recreates that database first

Default: a fresh SQLite file in a temporary directory (WAL, as in production), the processing
task enqueued on the filesystem broker in that directory, as a default installation does.
Both servers run side by side (after a one-second warm-up each); the load alternates between them in rounds (--rounds rounds of
--seconds each, which one goes first alternating), so load from elsewhere on the machine hits
both alike; the table shows each endpoint's median rate over its rounds. Every request is a
new HTTP connection from one of --clients threads, each body a distinct (flight, reservation)
match authenticated with HTTP Basic.

Afterwards it checks that nothing was lost or invented: the stored notifications are exactly
the ones acknowledged "Stored." (by flight id), the raw bodies match the baseline's 200s, a
re-sent acknowledged notification is answered "Already received." and stores nothing, and
after processing (the periodic sweep, run here in-process instead of a Celery worker) every
notification became exactly one flight. The queued kicks are then purged from the broker.
"""

import argparse
import base64
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-notify-secret"
URL = "/wiflight/notify/bench/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body(i: int, run: str) -> bytes:
    return (f"<?xml version='1.0' encoding='UTF-8'?><notification id='{i}'><flight id='{run}-{i}'>"
            f"<start>20300610T070000Z</start><length>3600</length><engine_ontime>3600</engine_ontime>"
            f"<airtime>3000</airtime><headline>local at LFPN</headline><aircraft id='1'><tail>F-GBEN</tail></aircraft>"
            f"<crew><user name='pilot@bench.test'/></crew><events><event type='takeoff'><time>20300610T070500Z</time>"
            f"<offset>300</offset><airport>LFPN</airport></event></events></flight>"
            f"<reservation name='gone-{run}-{i}@bench.test' domain='bench'><crew/></reservation></notification>").encode()


def django_run(env: dict, code: str) -> str:
    out = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True)
    return out.stdout


def fresh_postgres(url: str) -> None:
    """Drop and create the database DATABASE_URL names (bench databases only)."""
    import psycopg
    from urllib.parse import urlparse

    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_database(env: dict) -> None:
    django_run(env, f"""
from django.core.management import call_command
call_command("migrate", verbosity=0)
import sys; sys.path.insert(0, {str(ROOT / 'bench')!r})
from django.db import connection
from core.crypto import encrypt_text
from clubs.models import Organization
from dispatch.models import Aircraft
from integrations.wiflight.models import WiFlightConnection
club, _ = Organization.objects.get_or_create(slug="bench", defaults={{"name": "Bench"}})
Aircraft.objects.get_or_create(organization=club, registration="F-GBEN", defaults={{"aircraft_type": "DR400"}})
WiFlightConnection.objects.update_or_create(organization=club, defaults={{"match_domain": "bench",
    "notify_username": "wiflight", "notify_secret_encrypted": encrypt_text({SECRET!r})}})
import notify_baseline
if "bench_raw_body" not in connection.introspection.table_names():
    with connection.schema_editor() as editor:
        editor.create_model(notify_baseline.BenchRawBody)
""")


def serve(env: dict, app: str, workers: int, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), app, "--workers", str(workers), "--bind",
                             f"127.0.0.1:{port}", "--pythonpath", f"{ROOT},{ROOT / 'bench'}", "--log-level", "warning"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"gunicorn {app} did not start")


def post(port: int, data: bytes, i: int) -> tuple[int, bytes]:
    auth = "Basic " + base64.b64encode(f"wiflight:{SECRET}".encode()).decode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", URL, body=data, headers={
            "Content-Type": "application/xml", "Authorization": auth,
            "X-WiFlight-Notification-Id": str(i), "X-WiFlight-Attempt": "1"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Load:
    """Distinct notifications for one endpoint across rounds; remembers which were stored."""

    def __init__(self, port: int, run: str):
        self.port, self.run, self.next_i = port, run, 0
        self.stored: list[int] = []  # i of every 200 "Stored."
        self.other = 0

    def round(self, seconds: float, clients: int) -> tuple[int, float]:
        lock, ok = threading.Lock(), [0]
        deadline = time.monotonic() + seconds

        def worker():
            while time.monotonic() < deadline:
                with lock:
                    i, self.next_i = self.next_i, self.next_i + 1
                try:
                    status, text = post(self.port, body(i, self.run), i)
                except OSError:
                    status, text = 0, b""
                with lock:
                    if status == 200 and text.startswith(b"Stored."):
                        ok[0] += 1
                        self.stored.append(i)
                    else:
                        self.other += 1

        started = time.monotonic()
        threads = [threading.Thread(target=worker) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return ok[0], time.monotonic() - started


def resend_acknowledged(load: Load, count: int) -> int:
    """Re-send some acknowledged notifications: each must answer 200 "Already received."."""
    wrong = 0
    for i in load.stored[:count]:
        status, text = post(load.port, body(i, load.run), i)
        wrong += not (status == 200 and text.startswith(b"Already received."))
    return wrong


def check_stored(env: dict, runs: dict[str, list[int]], baseline_ok: int) -> list[str]:
    """The stored flight ids are exactly the acknowledged ones; raw bodies match the 200s."""
    out = django_run(env, """
from integrations.wiflight.models import FlightNotification
from django.db import connection
for fid in FlightNotification.objects.values_list("wiflight_flight_id", flat=True):
    print("n", fid)
c = connection.cursor(); c.execute("select count(*) from bench_raw_body"); print("raw", c.fetchone()[0])
""")
    stored = {line[2:] for line in out.splitlines() if line.startswith("n ")}
    raw = int(next(line for line in out.splitlines() if line.startswith("raw ")).split()[1])
    acknowledged = {f"{run}-{i}" for run, ids in runs.items() for i in ids}
    problems = []
    if stored != acknowledged:
        problems.append(f"notifications: {len(acknowledged - stored)} acknowledged but not stored, "
                        f"{len(stored - acknowledged)} stored but not acknowledged")
    if raw != baseline_ok:
        problems.append(f"raw bodies: {raw} rows for {baseline_ok} 200s")
    return problems


def process_and_check(env: dict) -> tuple[str, list[str]]:
    """Process every stored notification (the sweep, as a worker would) and count the flights."""
    out = django_run(env, """
import time
from django.db.models import Count
from flights.models import Flight
from integrations.wiflight.flight_services import notifications_sweep
from integrations.wiflight.models import FlightNotification
started = time.monotonic()
while notifications_sweep(older_than_seconds=0, limit=500):
    pass
elapsed = time.monotonic() - started
rows = FlightNotification.objects.count()
states = dict(FlightNotification.objects.values_list("state").annotate(n=Count("pk")))
flights = Flight.objects.filter(source=Flight.Source.NOTIFICATION)
ids = set(flights.values_list("wiflight_id", flat=True))
notified = set(FlightNotification.objects.values_list("wiflight_flight_id", flat=True))
print(rows, states.get("processed", 0), flights.count(), len(ids), int(ids == notified), f"{elapsed:.1f}")
from portal.celery import app
app.control.purge()  # the kicks nobody consumed here: every row is processed already
""")
    rows, processed, flights, distinct, same, elapsed = out.split()
    problems = []
    if int(processed) != int(rows):
        problems.append(f"processing: {rows} notifications, {processed} processed")
    if not (int(flights) == int(distinct) == int(rows) and same == "1"):
        problems.append(f"flights: {flights} ({distinct} distinct) for {rows} notifications")
    return f"processed {processed} of {rows} notifications into {flights} flights in {elapsed} s", problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5, help="per round and endpoint")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", default="1,2", help="gunicorn worker counts, comma-separated")
    parser.add_argument("--fresh-postgres", action="store_true",
                        help="drop and recreate the (bench) database DATABASE_URL names first")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="flightline-notify-bench-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "FLIGHTLINE_VAR_DIR": str(tmp),
           "DEBUG": "false", "SECRET_KEY": "bench-only-secret-key", "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "false", "CELERY_TASK_ALWAYS_EAGER": "false", "LOG_LEVEL": "ERROR",
           "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    database = os.environ.get("DATABASE_URL", "")
    try:
        if args.fresh_postgres:
            if not database.startswith("postgres"):
                sys.exit("--fresh-postgres needs DATABASE_URL=postgres://...")
            fresh_postgres(database)
        setup_database(env)
        table, runs, baseline_ok, duplicates_wrong, resent = [], {}, 0, 0, 0
        for workers in (int(w) for w in args.workers.split(",")):
            procs, loads = [], {}
            try:
                for name, app in (("baseline", "notify_baseline:application"), ("receiver", "portal.wsgi:application")):
                    port = free_port()
                    procs.append(serve(env, app, workers, port))
                    loads[name] = Load(port, f"w{workers}{name}-{time.time_ns()}")
                for load in loads.values():  # warm-up (imports, first connections), not timed
                    load.round(1, args.clients)
                rates: dict[str, list[float]] = {"baseline": [], "receiver": []}
                for r in range(args.rounds):
                    for name in (("baseline", "receiver") if r % 2 == 0 else ("receiver", "baseline")):
                        ok, elapsed = loads[name].round(args.seconds, args.clients)
                        rates[name].append(ok / elapsed)
                resent += min(20, len(loads["receiver"].stored))
                duplicates_wrong += resend_acknowledged(loads["receiver"], 20)
            finally:
                for proc in procs:
                    proc.terminate()
                    proc.wait(timeout=15)
            base_rate = statistics.median(rates["baseline"])
            for name in ("baseline", "receiver"):
                rate = statistics.median(rates[name])
                table.append((workers, name, len(loads[name].stored), loads[name].other,
                              " ".join(f"{x:.0f}" for x in rates[name]), rate, rate / base_rate))
            runs[loads["receiver"].run] = loads["receiver"].stored
            baseline_ok += len(loads["baseline"].stored)
        problems = check_stored(env, runs, baseline_ok)
        if duplicates_wrong:
            problems.append(f"{duplicates_wrong} re-sent notifications not answered 'Already received.'")
        processed, more = process_and_check(env)
        problems += more
        print(f"\nnotify bench: {args.clients} client threads, {args.rounds} alternating rounds of {args.seconds:.0f} s "
              f"per endpoint, database {database or 'SQLite (WAL) in ' + str(tmp)}, broker "
              f"{os.environ.get('CELERY_BROKER_URL', 'filesystem')}")
        print(f"{'workers':>7} | {'endpoint':<9} | {'200s':>5} | {'other':>5} | {'req/s per round':<17} | "
              f"{'median':>6} | {'vs baseline':>11}")
        print("-" * 82)
        for workers, name, ok, bad, per_round, rate, ratio in table:
            print(f"{workers:>7} | {name:<9} | {ok:>5} | {bad:>5} | {per_round:<17} | {rate:>6.1f} | {ratio:>10.0%}")
        print(f"\nstored: every 200 'Stored.' is a row and every row one ({sum(map(len, runs.values()))}); "
              f"raw bodies {baseline_ok}; {resent} re-sent acknowledged notifications answered "
              f"'Already received.' ({duplicates_wrong} not)\n{processed}")
        if problems:
            sys.exit("MISMATCH: " + "; ".join(problems))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
