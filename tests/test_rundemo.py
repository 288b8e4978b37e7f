"""`make run` supervises the demo's processes: stopping the Wi-Flight simulator (an outage)
leaves the portal and the worker running; stopping either of those ends the demo."""

import subprocess
import sys

from portal.management.commands.rundemo import SIM_GONE, supervise, stop_all


def _process(seconds: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"])


def test_the_simulator_stopping_leaves_the_portal_and_worker_up():
    running = {"portal": _process(3), "worker": _process(30), "wiflight-sim": _process(0)}
    said = []
    try:
        stopped = supervise(running, essential=("portal", "worker"), say=said.append, poll_seconds=0.05)
        # supervise returned only when the portal ended, seconds after the simulator did.
        assert stopped == ["portal"]
        assert said == [SIM_GONE]
        assert running["worker"].poll() is None
    finally:
        stop_all(running)
    assert all(p.poll() is not None for p in running.values())


def test_an_essential_process_stopping_ends_the_demo():
    running = {"portal": _process(30), "worker": _process(0), "wiflight-sim": _process(30)}
    try:
        assert supervise(running, essential=("portal", "worker"), say=print, poll_seconds=0.05) == ["worker"]
    finally:
        stop_all(running)
