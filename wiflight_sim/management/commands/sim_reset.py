from django.core.management.base import BaseCommand

from wiflight_sim.services.control import sim_reset


class Command(BaseCommand):
    help = "Wipe reservations, flights, notifications and the request log (accounts stay)."

    def handle(self, *args, **options):
        sim_reset()
        self.stdout.write("reset")
