import json

from django.core.management.base import BaseCommand, CommandError

from wiflight_sim import selectors
from wiflight_sim.errors import ApiError
from wiflight_sim.services.flights import flight_record
from wiflight_sim.timefmt import TimeFormatError, parse_time


class Command(BaseCommand):
    help = "Record a flight as a recorder upload would, then match it to reservations."

    def add_arguments(self, parser):
        parser.add_argument("--tail", required=True)
        parser.add_argument("--start", required=True, help="engine-on time, e.g. 20131201T120000Z")
        parser.add_argument("--duration", type=int, help="seconds from engine on to engine off")
        parser.add_argument("--from", dest="departure", help="departure airport (default: the aircraft's home)")
        parser.add_argument("--to", dest="destination", help="arrival airport; omit for a local flight")
        parser.add_argument("--track-file", help="JSON list of points (t, lat, lon, alt, ...) instead of generating")

    def handle(self, *args, **o):
        try:
            start = parse_time(o["start"])
        except TimeFormatError as exc:
            raise CommandError(str(exc)) from exc
        track = None
        if o["track_file"]:
            with open(o["track_file"], encoding="utf-8") as handle:
                track = json.load(handle)
        try:
            flight, matches = flight_record(
                tail=o["tail"], start=start, duration=o["duration"], departure=o["departure"],
                destination=o["destination"], track=track,
            )
        except ApiError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(f"flight {flight.pk}: {flight.headline}, {flight.length} s")
        for match in matches:
            self.stdout.write(f"  matched {match.reservation.name} (domain {match.domain})")
        self.stdout.write(f"  crew: {', '.join(selectors.flight_crew_names(flight)) or '-'}")
