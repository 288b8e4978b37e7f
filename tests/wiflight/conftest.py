"""A real Wi-Flight simulator in its own process, over real HTTP, for the integration tests.

One simulator per test session (its own temporary SQLite database); each test starts from a
reset simulator (reservations, flights, request log and faults wiped; accounts kept).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
FLEET_ADMIN = "fleet@tac.example.com"
FLEET_PASSWORD = "fleet-admin-pw"
NAME_DOMAIN = "tac.example.com"
TAILS = ("F-GABC", "F-GXYZ")


class Simulator:
    def __init__(self, base_url: str, env: dict | None = None):
        self.base_url = base_url
        self.env = env or {}

    def notify_profile(self, name: str, *args: str):
        """Program a notify profile (Wi-Flight does this by hand; the simulator has a command)."""
        _sim(self.env, "sim_notify_profile", name, *args)

    def control(self, method: str, path: str, **json):
        response = requests.request(method, f"{self.base_url}/sim/{path}", json=json or None, timeout=10)
        response.raise_for_status()
        return response.json()

    def faults(self, **faults):
        return self.control("POST", "faults", **faults)

    def reset(self):
        return self.control("POST", "reset")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sim(env, *args):
    subprocess.run([sys.executable, "-m", "wiflight_sim", *args], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def simulator(tmp_path_factory):
    port = _free_port()
    # The simulator's own URL (its OpenID realm and return_to) must be the port it runs on.
    env = {**os.environ, "WIFLIGHT_SIM_DB": str(tmp_path_factory.mktemp("wfsim") / "sim.sqlite3"),
           "WIFLIGHT_SIM_BASE_URL": f"http://127.0.0.1:{port}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _sim(env, "migrate", "-v0")
    _sim(env, "sim_user", FLEET_ADMIN, "--role", "fleet_admin", "--password", FLEET_PASSWORD,
         "--fleet", "TAC", "--domain", NAME_DOMAIN)
    for tail in TAILS:
        _sim(env, "sim_aircraft", tail, "--model", "Robin DR400", "--fleet", "TAC")
    proc = subprocess.Popen([sys.executable, "-m", "wiflight_sim", "serve", "--port", str(port), "--quiet"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/sim/health", timeout=1)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("the Wi-Flight simulator did not start")
            time.sleep(0.1)
    yield Simulator(base, env)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def sim(simulator):
    simulator.reset()
    yield simulator
    simulator.faults(clear=True)
