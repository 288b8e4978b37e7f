from django.core.management.base import BaseCommand

from wiflight_sim.services.accounts import aircraft_configure


class Command(BaseCommand):
    help = "Create or update an aircraft in a fleet."

    def add_arguments(self, parser):
        parser.add_argument("tail")
        parser.add_argument("--model", default="")
        parser.add_argument("--fleet", required=True)
        parser.add_argument("--home", help="home airport code (default from WIFLIGHT_SIM_HOME_AIRPORT)")

    def handle(self, *args, tail, model, fleet, home, **options):
        aircraft = aircraft_configure(tail=tail, model=model, fleet_name=fleet, home_airport=home)
        self.stdout.write(f"aircraft {aircraft.tail} id={aircraft.pk}")
