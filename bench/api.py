"""Requests per second and p95 latency of the REST API under gunicorn, against GET /healthz of
the same server measured in the same run (the baseline: a request that reaches Django and
asks the database one `SELECT 1`).

    .venv/bin/python bench/api.py [--requests 300] [--clients 2] [--workers 2] [--sqlite]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres CACHE_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/api.py

Default: a fresh SQLite file in a temporary directory (the embedded configuration). With
DATABASE_URL=postgres://... a fresh database on that server, dropped afterwards, and the
environment's CACHE_URL (rate-limit counts in Redis); --sqlite forces the embedded one. The
club has 100 bookings; each row sends --requests requests from --clients threads (one
keep-alive session each) after a warm-up. The rate limit stays on (its count is part of
every API request) at a limit no run reaches; DEBUG is off, as in production.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import is_postgres, live_database  # noqa: E402

BOOKINGS = 100
WARM_UP = 10
SERVER_ENV = {"DEBUG": "false", "SECURE_SSL_REDIRECT": "false", "API_RATE_LIMIT_STANDARD": str(10**9)}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per row (default 300)")
    parser.add_argument("--clients", type=int, default=2, help="client threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--sqlite", action="store_true", help="the embedded configuration even with DATABASE_URL")
    return parser.parse_args()


def load(send, count: int, clients: int) -> tuple[float, list[float]]:
    """(seconds, latencies in ms) of `count` calls of send(session) from `clients` threads."""
    left = iter(range(count))
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []

    def worker():
        session = requests.Session()
        while True:
            with lock:
                if next(left, None) is None:
                    return
            began = time.perf_counter()
            response = send(session)
            took = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(took)
                if response.status_code >= 400:
                    failures.append(f"{response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if failures:
        sys.exit(f"{len(failures)} requests failed, first: {failures[0]}")
    return elapsed, latencies


def p95(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20)[18]


def main() -> None:
    args = parse_args()
    scaled = is_postgres(os.environ.get("DATABASE_URL")) and not args.sqlite
    with tempfile.TemporaryDirectory(prefix="flightline-api-bench-") as tmp, \
            live_database(Path(tmp), scaled=scaled) as db:
        club = db.seed_club("bench", bookings=BOOKINGS)
        with db.serving(workers=args.workers, env=SERVER_ENV) as (server,):
            api = f"{server.url}/api/v1/organizations/{club.slug}"
            headers = {**club.auth, "Content-Type": "application/json"}
            body = b'{"data": {"type": "flight_log", "attributes": {"date": "2024-01-15", "aircraft": "N12345", ' \
                   b'"duration": 1.5}}}'
            rows = {
                "GET /healthz (baseline)": lambda s: s.get(f"{server.url}/healthz", timeout=30),
                f"GET bookings ({BOOKINGS} items)": lambda s: s.get(f"{api}/bookings?page_size={BOOKINGS}",
                                                                   headers=headers, timeout=30),
                "POST flight-logs": lambda s: s.post(f"{api}/flight-logs", data=body, headers=headers, timeout=30),
            }
            listed = requests.get(f"{api}/bookings?page_size={BOOKINGS}", headers=headers, timeout=30).json()
            assert len(listed["data"]) == BOOKINGS, listed
            results = {}
            for name, send in rows.items():
                load(send, WARM_UP, args.clients)
                elapsed, latencies = load(send, args.requests, args.clients)
                results[name] = (len(latencies) / elapsed, p95(latencies), statistics.median(latencies))

    database = "PostgreSQL" + (", Redis cache" if "CACHE_URL" in db.env else "") if scaled else "SQLite (embedded)"
    print(f"\nAPI bench: gunicorn, {args.workers} sync workers, {args.clients} client threads, {args.requests} "
          f"requests per row after {WARM_UP} warm-up, {database}, DEBUG off, rate limit counted\n")
    print(f"{'endpoint':<26} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'req/s vs /healthz':>17} | "
          f"{'p95 vs /healthz':>15}")
    print("-" * 95)
    base_rate, base_p95, _ = results["GET /healthz (baseline)"]
    for name, (rate, tail, median) in results.items():
        print(f"{name:<26} | {rate:>7.1f} | {median:>7.1f} | {tail:>7.1f} | {rate / base_rate:>17.2f} | "
              f"{tail / base_p95:>15.2f}")


if __name__ == "__main__":
    main()
