"""Reservation PUT throughput of the Wi-Flight simulator, with 1 and 4 concurrent clients.

    .venv/bin/python bench/sim.py [--puts 500] [--seconds 20]

Starts the simulator on a free loopback port with its own temporary database, seeds a fleet
administrator and an aircraft, then PUTs reservations (bounded in count and time). Later
benches reuse the measurement: `from bench.sim import measure_put_throughput, running_simulator`.
"""

import argparse
import contextlib
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from wiflight_sim.launcher import serving, sim_command, sim_env  # noqa: E402
USERNAME, PASSWORD, DOMAIN, TAIL = "bench@bench.test", "bench-password", "bench.test", "C-BNCH"
BROKEN_USERNAME, BROKEN_DOMAIN = "broken@broken.test", "broken.test"  # a second account, for per-account faults


@contextlib.contextmanager
def running_simulator():
    """Yield the base URL of a fresh simulator (own temp DB, seeded), stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="wfsim-bench-") as tmp:
        db = Path(tmp) / "sim.sqlite3"
        env = sim_env(db)
        sim_command(env, "migrate", "-v0")
        sim_command(env, "sim_user", USERNAME, "--role", "fleet_admin", "--password", PASSWORD, "--fleet", "Bench",
                    "--domain", DOMAIN)
        sim_command(env, "sim_user", BROKEN_USERNAME, "--role", "fleet_admin", "--password", PASSWORD, "--fleet",
                    "Bench", "--domain", BROKEN_DOMAIN)
        sim_command(env, "sim_aircraft", TAIL, "--model", "Cessna 172S", "--fleet", "Bench")
        with serving(db, delivery=False) as base:
            yield base


def _body(name: str, i: int) -> bytes:
    hour = i % 24
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><reservation name="{name}" domain="bench">'
        f'<aircraft tail="{TAIL}"/><start>20300101T{hour:02d}0000Z</start><end>20300101T{hour:02d}3000Z</end>'
        f"<crew/></reservation>"
    ).encode()


def measure_put_throughput(
    base_url: str, *, clients: int, total_puts: int = 500, max_seconds: float = 20.0,
    username: str = USERNAME, password: str = PASSWORD, domain: str = DOMAIN, label: str = "",
    documents: list[tuple[str, bytes]] | None = None,
) -> dict:
    """PUT up to `total_puts` new reservations from `clients` threads (one requests.Session
    each, logged in first); stop at `max_seconds`. Returns counts, seconds and PUTs/s.
    With `documents` ((name, body) pairs, built beforehand), PUT those, in turn, instead."""
    counter, lock, errors = iter(range(total_puts)), threading.Lock(), []
    done = [0]
    sessions = []
    for _ in range(clients):
        session = requests.Session()
        response = session.post(f"{base_url}/auth/login", data={"username": username, "password": password, "expires": "600"})
        response.raise_for_status()
        sessions.append(session)
    prefix = label or f"c{clients}-{int(time.time() * 1000)}"
    began = time.monotonic()

    def work(session: requests.Session) -> None:
        while time.monotonic() - began < max_seconds:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            name, body = documents[i % len(documents)] if documents else (f"{prefix}-{i}@{domain}", None)
            response = session.put(
                f"{base_url}/a/reservation/{name.replace('@', '%40')}", data=body or _body(name, i),
                headers={"Content-Type": "text/xml"}, timeout=30,
            )
            with lock:
                if response.status_code in (200, 201):
                    done[0] += 1
                else:
                    errors.append(response.status_code)

    threads = [threading.Thread(target=work, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began
    return {"clients": clients, "puts": done[0], "errors": len(errors), "seconds": seconds, "puts_per_second": done[0] / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--puts", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with running_simulator() as base:
        results = [measure_put_throughput(base, clients=n, total_puts=args.puts, max_seconds=args.seconds) for n in (1, 4)]
    single = results[0]["puts_per_second"] or 1.0
    print(f"{'clients':>7} {'PUTs':>6} {'errors':>6} {'seconds':>8} {'PUTs/s':>8} {'ratio':>6}")
    for r in results:
        print(f"{r['clients']:>7} {r['puts']:>6} {r['errors']:>6} {r['seconds']:>8.2f} {r['puts_per_second']:>8.1f} "
              f"{r['puts_per_second'] / single:>6.2f}")


if __name__ == "__main__":
    main()
