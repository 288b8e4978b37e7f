"""The demo as `make run` starts it (`manage.py rundemo`), for real: portal, worker and
simulator come up; killing the simulator (a Wi-Flight outage) leaves the portal answering;
`make sim`'s command brings the simulator back on the same port; stopping the demo stops
every child."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from wiflight_sim.launcher import free_port

REPO = Path(__file__).resolve().parent.parent


def _wait_for(url: str, timeout: float = 60) -> requests.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return requests.get(url, timeout=2)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _down(url: str) -> bool:
    try:
        requests.get(url, timeout=2)
    except requests.ConnectionError:
        return True
    return False


@pytest.fixture
def demo_env(tmp_path):
    port, sim_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"DEBUG": "true", "FLIGHTLINE_VAR_DIR": str(tmp_path / "var"),
                "WIFLIGHT_SIM_DB": str(tmp_path / "sim.sqlite3"),
                "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "WIFLIGHT_SIM_BASE_URL": f"http://127.0.0.1:{sim_port}",
                "CELERY_TASK_ALWAYS_EAGER": "false"})
    for command in ([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                    [sys.executable, "-m", "wiflight_sim", "migrate", "--noinput", "-v", "0"]):
        subprocess.run(command, cwd=REPO, env=env, check=True)
    return env, port, sim_port


def test_an_outage_leaves_the_portal_up_and_make_sim_brings_wiflight_back(demo_env, tmp_path):
    env, port, sim_port = demo_env
    log = open(tmp_path / "rundemo.log", "w+")
    demo = subprocess.Popen([sys.executable, "manage.py", "rundemo", "--port", str(port), "--sim-port", str(sim_port)],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    sim_again = None
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/healthz").status_code in (200, 503)
        assert _wait_for(f"http://127.0.0.1:{sim_port}/sim/health").status_code == 200
        log.flush()
        banner = (tmp_path / "rundemo.log").read_text()
        sim_pid = int(re.search(r"kill (\d+)", banner).group(1))

        os.kill(sim_pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while not _down(f"http://127.0.0.1:{sim_port}/sim/health") and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.5)  # the supervisor polls twice a second
        assert demo.poll() is None, (tmp_path / "rundemo.log").read_text()
        assert requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).status_code == 200
        assert "make sim" in (tmp_path / "rundemo.log").read_text()

        # What `make sim` runs: the simulator alone, same port, same database.
        sim_again = subprocess.Popen([sys.executable, "-m", "wiflight_sim", "serve", "--host", "127.0.0.1",
                                      "--port", str(sim_port), "--quiet"], cwd=REPO, env=env)
        assert _wait_for(f"http://127.0.0.1:{sim_port}/sim/health").status_code == 200
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=30)
        if sim_again is not None:
            sim_again.terminate()
            sim_again.wait(timeout=10)
    assert _down(f"http://127.0.0.1:{port}/healthz")
