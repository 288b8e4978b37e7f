"""Notifications per second through the real receiver into the database, against a baseline
endpoint that only stores the raw body (bench/notify_baseline.py), measured in the same run,
with one and two gunicorn worker processes on loopback.

    .venv/bin/python bench/notify.py [--count 600] [--seconds 20] [--clients 8]
    DATABASE_URL=postgres://... .venv/bin/python bench/notify.py   # an existing, empty test DB

Default: a fresh SQLite file in a temporary directory (WAL, as in production). Each
configuration sends at most --count notifications or runs at most --seconds, from --clients
threads, each body a distinct (flight, reservation) match authenticated with HTTP Basic. The
real endpoint enqueues the processing task on the filesystem broker (in the temp directory),
as a default installation does. Afterwards the stored row count is checked against the 200s.
"""

import argparse
import base64
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-notify-secret"


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


def setup_database(env: dict) -> None:
    code = f"""
import django; django.setup()
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
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


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


def load(port: int, count: int, seconds: float, clients: int, run: str) -> tuple[int, int, float]:
    auth = "Basic " + base64.b64encode(f"wiflight:{SECRET}".encode()).decode()
    counter = iter(range(count))
    lock, ok, other = threading.Lock(), [0], [0]
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/wiflight/notify/bench/", body=body(i, run),
                         headers={"Content-Type": "application/xml", "Authorization": auth,
                                  "X-WiFlight-Notification-Id": str(i), "X-WiFlight-Attempt": "1"})
            status = conn.getresponse().status
            conn.close()
            with lock:
                (ok if status == 200 else other)[0] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ok[0], other[0], time.monotonic() - started


def count_rows(env: dict) -> tuple[int, int]:
    code = ("import django; django.setup()\nfrom django.db import connection\nc = connection.cursor()\n"
            "c.execute('select count(*) from wiflight_flightnotification'); a = c.fetchone()[0]\n"
            "c.execute('select count(*) from bench_raw_body'); print(a, c.fetchone()[0])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    a, b = out.stdout.split()
    return int(a), int(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="flightline-notify-bench-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "FLIGHTLINE_VAR_DIR": str(tmp),
           "DEBUG": "false", "SECRET_KEY": "bench-only-secret-key", "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "false", "CELERY_TASK_ALWAYS_EAGER": "false", "LOG_LEVEL": "ERROR",
           "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    try:
        setup_database(env)
        rows, stored = [], {"receiver": 0, "baseline": 0}
        for workers in (1, 2):
            results = {}
            for name, app in (("baseline", "notify_baseline:application"), ("receiver", "portal.wsgi:application")):
                port = free_port()
                proc = serve(env, app, workers, port)
                try:
                    ok, bad, elapsed = load(port, args.count, args.seconds, args.clients, f"w{workers}{name}")
                finally:
                    proc.terminate()
                    proc.wait(timeout=15)
                results[name] = (ok, bad, elapsed)
                stored[name] += ok
            base_rate = results["baseline"][0] / results["baseline"][2]
            for name in ("baseline", "receiver"):
                ok, bad, elapsed = results[name]
                rate = ok / elapsed
                rows.append((workers, name, ok, bad, elapsed, rate, rate / base_rate))
        in_db = count_rows(env)
        print(f"\nnotify bench: {args.clients} client threads, at most {args.count} requests or {args.seconds:.0f} s "
              f"per row, database {os.environ.get('DATABASE_URL', 'SQLite (WAL) in ' + str(tmp))}")
        print(f"{'workers':>7} | {'endpoint':<9} | {'200s':>5} | {'other':>5} | {'seconds':>7} | {'req/s':>7} | {'vs baseline':>11}")
        print("-" * 70)
        for workers, name, ok, bad, elapsed, rate, ratio in rows:
            print(f"{workers:>7} | {name:<9} | {ok:>5} | {bad:>5} | {elapsed:>7.2f} | {rate:>7.1f} | {ratio:>10.0%}")
        print(f"\nrows in the database: notifications {in_db[0]} (200s {stored['receiver']}), "
              f"raw bodies {in_db[1]} (200s {stored['baseline']})")
        if in_db != (stored["receiver"], stored["baseline"]):
            sys.exit("MISMATCH: a 200 without a stored row (or the other way round)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
