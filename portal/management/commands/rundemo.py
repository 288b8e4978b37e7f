"""Start everything the demo needs in one terminal and say where it is.

The portal (Django's development server), the Wi-Flight simulator beside it, and a Celery
worker with beat on the embedded broker (no service needed). Ctrl-C stops them all.

The simulator may stop without the rest: that is how an outage is shown. Stop it (its pid is
printed), watch the queue page fill with retries, then `make sim` in another terminal starts
it again on the same port and database and the queue drains.
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.management.commands.seed_demo import DEMO_PASSWORD, MEMBERS


# Without these the demo is down; the simulator is Wi-Flight, which may be down.
ESSENTIAL = ("portal", "worker")
SIM_GONE = ("The Wi-Flight simulator stopped: Flightline keeps running and queues every change "
            "(see the club's Wi-Flight queue page). Start it again with `make sim` in another terminal.")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def supervise(running: dict[str, subprocess.Popen], *, essential, say, poll_seconds: float = 0.5) -> list[str]:
    """Wait until an essential process stops; return the names of the stopped essentials.
    A companion that stops (the simulator) is reported once and left stopped."""
    reported: set[str] = set()
    while True:
        stopped = [name for name in essential if running[name].poll() is not None]
        if stopped:
            return stopped
        for name, process in running.items():
            if name not in essential and name not in reported and process.poll() is not None:
                reported.add(name)
                say(SIM_GONE if name == "wiflight-sim" else f"{name} stopped.")
        time.sleep(poll_seconds)


def stop_all(running: dict[str, subprocess.Popen]) -> None:
    for p in running.values():
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
    for p in running.values():
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            # A child that missed its SIGINT (still starting up under load) is killed, and
            # reaped, so nothing of the demo outlives it.
            p.kill()
            p.wait()


class Command(BaseCommand):
    help = "Run the portal (and its companions) for the demo."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--sim-port", type=int, default=8001)

    def handle(self, *args, host, port, sim_port, **options):
        processes = {
            "portal": [sys.executable, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
            "wiflight-sim": [sys.executable, "-m", "wiflight_sim", "serve", "--host", host, "--port", str(sim_port)],
            # One worker with the beat scheduler embedded (-B): the sync sweep and clean-ups.
            "worker": [sys.executable, "-m", "celery", "-A", "portal", "worker", "-B", "--loglevel", "warning",
                       "--concurrency", "2"],
        }
        running = {name: subprocess.Popen(cmd, cwd=settings.BASE_DIR) for name, cmd in processes.items()}
        # Stopped by a supervisor (SIGTERM) rather than Ctrl-C: stop the children too, or they
        # would keep the ports and the next `make run` would fail to start.
        signal.signal(signal.SIGTERM, _interrupt)
        self._banner(host, port, sim_port, running["wiflight-sim"].pid)
        try:
            stopped = supervise(running, essential=ESSENTIAL, say=self.stderr.write)
            self.stderr.write(f"{', '.join(stopped)} stopped; stopping the others.")
        except KeyboardInterrupt:
            pass
        finally:
            stop_all(running)

    def _banner(self, host, port, sim_port, sim_pid):
        lines = [
            "",
            "Flightline demo is running.",
            f"  Portal:   http://{host}:{port}/   (club board: http://{host}:{port}/o/demo/board/)",
            f"  Wi-Flight simulator: http://{host}:{sim_port}/   (fleet admin flightline@demo.flightline.test,"
            " password demo-wiflight)",
            f"  API:      http://{host}:{port}/api/v1/docs   (keys: API keys in the club menu, as admin)",
            f"  To show a Wi-Flight outage: kill {sim_pid} (the simulator), then `make sim` to bring it back.",
            "",
            f"  Demo logins (password for all: {DEMO_PASSWORD}):",
            *[f"    {username:<11} {full_name}" for username, full_name, _ in MEMBERS],
            "",
            "  Press Ctrl-C to stop.",
            "",
        ]
        self.stdout.write("\n".join(lines))
