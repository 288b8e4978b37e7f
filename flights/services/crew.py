"""Who was on a flight: rebuilt from its booking's crew and the usernames the recorder
reported. An internal step of recording and assigning a flight (not a service: no caller
outside flights/services)."""

from clubs.models import Membership
from dispatch.models import BookingCrew
from flights.models import Flight, FlightCrew


def flight_crew_sync(flight: Flight) -> None:
    """The booking's crew (with their roles), plus the members the recorder named; names we
    do not know are kept without a membership."""
    wanted: dict[int, tuple[str, str]] = {}
    if flight.booking_id:
        for slot in BookingCrew.objects.filter(booking_id=flight.booking_id).select_related("membership"):
            wanted[slot.membership_id] = (slot.membership.wiflight_username, slot.role)
    reported = list(flight.reported_crew or [])
    members = {m.wiflight_username: m for m in Membership.objects.filter(
        organization_id=flight.organization_id, wiflight_username__in=reported)}
    unknown = []
    for name in reported:
        if name in members:
            wanted.setdefault(members[name].pk, (name, ""))
        else:
            unknown.append(name)
    have = set(FlightCrew.objects.filter(flight=flight, membership__isnull=False).values_list("membership_id", flat=True))
    FlightCrew.objects.bulk_create([FlightCrew(flight=flight, membership_id=pk, wiflight_username=name, role=role)
                                    for pk, (name, role) in wanted.items() if pk not in have], ignore_conflicts=True)
    known_names = set(FlightCrew.objects.filter(flight=flight, membership__isnull=True)
                      .values_list("wiflight_username", flat=True))
    FlightCrew.objects.bulk_create([FlightCrew(flight=flight, wiflight_username=n) for n in unknown if n not in known_names])
