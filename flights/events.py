"""The payloads of the flights app's change events (docs/events.md lists them)."""

from flights.models import Flight, LogbookEntry


def flight_payload(flight: Flight) -> dict:
    return {"id": flight.pk, "external_id": flight.wiflight_id, "aircraft_id": flight.aircraft_id, "tail": flight.tail,
            "start": flight.start.isoformat(), "length_seconds": flight.length_seconds,
            "booking_id": flight.booking_id, "source": flight.source}


def entry_payload(entry: LogbookEntry) -> dict:
    return {"id": entry.pk, "membership_id": entry.membership_id, "flight_id": entry.flight_id,
            "booking_id": entry.booking_id, "date": entry.date.isoformat(), "billed": entry.is_billed}
