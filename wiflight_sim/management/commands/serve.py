import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application

from wiflight_sim.server import make_server, start_delivery_loop


class Command(BaseCommand):
    help = "Serve the Wi-Flight simulator (threaded) and deliver notifications in the background."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--no-delivery", action="store_true", help="do not run the notification delivery loop")
        parser.add_argument("--quiet", action="store_true", help="no access log lines")

    def handle(self, *args, host, port, no_delivery, quiet, **options):
        settings.SIM_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        server = make_server(host, port, get_wsgi_application(), quiet=quiet)
        stop = threading.Event()
        if not no_delivery:
            start_delivery_loop(settings.SIM_DELIVERY_INTERVAL_SECONDS, stop)
        self.stdout.write(f"Wi-Flight simulator on http://{host}:{server.server_port}/ (db {settings.SIM_DB_PATH})")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.server_close()
