"""Start everything the demo needs in one terminal and say where it is.

Today: the portal (Django's development server). The Wi-Flight simulator and the Celery
worker join here as their issues land. Ctrl-C stops them all.
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from dispatch.management.commands.seed_demo import DEMO_PASSWORD, MEMBERS


class Command(BaseCommand):
    help = "Run the portal (and its companions) for the demo."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--sim-port", type=int, default=8001)

    def handle(self, *args, host, port, sim_port, **options):
        processes = {
            "portal": [sys.executable, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
        }
        running = {name: subprocess.Popen(cmd, cwd=settings.BASE_DIR) for name, cmd in processes.items()}
        self._banner(host, port)
        try:
            while all(p.poll() is None for p in running.values()):
                time.sleep(0.5)
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

    def _banner(self, host, port):
        lines = [
            "",
            "Flightline demo is running.",
            f"  Portal:   http://{host}:{port}/   (club board: http://{host}:{port}/o/demo/board/)",
            "",
            f"  Demo logins (password for all: {DEMO_PASSWORD}):",
            *[f"    {username:<11} {full_name}" for username, full_name, _ in MEMBERS],
            "",
            "  Press Ctrl-C to stop.",
            "",
        ]
        self.stdout.write("\n".join(lines))
