import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from wiflight_sim.notifications import deliver_due


class Command(BaseCommand):
    help = "Deliver due notifications once (or forever with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")

    def handle(self, *args, loop, **options):
        if not loop:
            self.stdout.write(f"delivered {deliver_due()}")
            return
        stop = threading.Event()
        while not stop.wait(settings.SIM_DELIVERY_INTERVAL_SECONDS):
            deliver_due()
