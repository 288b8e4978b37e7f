"""Start a simulator in its own process on a free loopback port, for tests and benchmarks.

One place for "run `python -m wiflight_sim <command>` with this database" and "serve it and
wait until it answers", so the portal's tests, its browser tests and the benchmarks all start
the simulator the same way.
"""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sim_env(db: Path, base_url: str | None = None) -> dict:
    """The environment of a simulator process using `db`; its own URL (the OpenID realm and
    return_to it sends) must be the address it is served on."""
    env = {**os.environ, "WIFLIGHT_SIM_DB": str(db)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if base_url:
        env["WIFLIGHT_SIM_BASE_URL"] = base_url
    return env


def sim_command(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "wiflight_sim", *args], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)


@contextmanager
def serving(db: Path, *, port: int | None = None, delivery: bool = True, timeout: float = 30):
    """Serve the simulator on `db`; yields its base URL; stops it afterwards."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    args = ["serve", "--port", str(port), "--quiet"] + ([] if delivery else ["--no-delivery"])
    proc = subprocess.Popen([sys.executable, "-m", "wiflight_sim", *args], cwd=REPO, env=sim_env(db, base),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                requests.get(f"{base}/sim/health", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the Wi-Flight simulator did not start") from None
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
