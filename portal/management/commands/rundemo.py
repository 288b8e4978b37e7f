"""Start everything the demo needs in one terminal and say where it is.

The portal (Django's development server), the Wi-Flight simulator beside it, and a Celery
worker with beat on the embedded broker (no service needed). Ctrl-C stops them all.
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from dispatch.management.commands.seed_demo import DEMO_PASSWORD, MEMBERS


def _interrupt(signum, frame):
    raise KeyboardInterrupt


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
        self._banner(host, port, sim_port)
        try:
            while all(p.poll() is None for p in running.values()):
                time.sleep(0.5)
            stopped = [name for name, p in running.items() if p.poll() is not None]
            self.stderr.write(f"{', '.join(stopped)} stopped; stopping the others.")
        except KeyboardInterrupt:
            pass
        finally:
            for p in running.values():
                if p.poll() is None:
                    p.send_signal(signal.SIGINT)
            for p in running.values():
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()

    def _banner(self, host, port, sim_port):
        lines = [
            "",
            "Flightline demo is running.",
            f"  Portal:   http://{host}:{port}/   (club board: http://{host}:{port}/o/demo/board/)",
            f"  Wi-Flight simulator: http://{host}:{sim_port}/   (fleet admin flightline@demo.flightline.test,"
            " password demo-wiflight)",
            "",
            f"  Demo logins (password for all: {DEMO_PASSWORD}):",
            *[f"    {username:<11} {full_name}" for username, full_name, _ in MEMBERS],
            "",
            "  Press Ctrl-C to stop.",
            "",
        ]
        self.stdout.write("\n".join(lines))
