"""A real Wi-Flight simulator in its own process, over real HTTP, for the integration tests.

One simulator per test session (its own temporary SQLite database); each test starts from a
reset simulator (reservations, flights, request log and faults wiped; accounts kept).
"""

import pytest
import requests

from wiflight_sim.launcher import free_port, serving, sim_command, sim_env

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
        sim_command(self.env, "sim_notify_profile", name, *args)

    def control(self, method: str, path: str, **json):
        response = requests.request(method, f"{self.base_url}/sim/{path}", json=json or None, timeout=10)
        response.raise_for_status()
        return response.json()

    def faults(self, **faults):
        return self.control("POST", "faults", **faults)

    def reset(self):
        return self.control("POST", "reset")


@pytest.fixture(scope="session")
def simulator(tmp_path_factory):
    db = tmp_path_factory.mktemp("wfsim") / "sim.sqlite3"
    port = free_port()
    env = sim_env(db, f"http://127.0.0.1:{port}")
    sim_command(env, "migrate", "-v0")
    sim_command(env, "sim_user", FLEET_ADMIN, "--role", "fleet_admin", "--password", FLEET_PASSWORD,
                "--fleet", "TAC", "--domain", NAME_DOMAIN)
    for tail in TAILS:
        sim_command(env, "sim_aircraft", tail, "--model", "Robin DR400", "--fleet", "TAC")
    with serving(db, port=port) as base:
        yield Simulator(base, env)


@pytest.fixture
def sim(simulator):
    simulator.reset()
    yield simulator
    simulator.faults(clear=True)


@pytest.fixture
def connection(club, sim, transactional_db):
    """The test club connected to the simulator, sync switched on."""
    from integrations.wiflight.client import _clients
    from integrations.wiflight.models import WiFlightConnection

    conn = WiFlightConnection(organization=club, enabled=True, base_url=sim.base_url, username=FLEET_ADMIN,
                              name_domain=NAME_DOMAIN, match_domain="flightline-test-tac")
    conn.set_password(FLEET_PASSWORD)
    conn.save()
    _clients.clear()  # a client cached by an earlier test may point at a reset simulator
    return conn
