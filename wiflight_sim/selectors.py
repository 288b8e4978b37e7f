"""Reads that carry a rule: who may see which flight and aircraft, and who flew."""

from django.db.models import QuerySet

from wiflight_sim.models import Aircraft, Flight, SimUser


def flight_crew_names(flight: Flight) -> list[str]:
    rows = SimUser.objects.filter(reservations__matches__flight=flight).distinct()
    return sorted(rows.values_list("username", flat=True))


def visible_flights(user: SimUser) -> QuerySet[Flight]:
    """Fleet managers and administrators see their fleet; everyone sees flights they crewed."""
    crewed = Flight.objects.filter(matches__reservation__crew=user)
    if user.sees_fleet:
        return (Flight.objects.filter(aircraft__fleet_id=user.fleet_id) | crewed).distinct()
    return crewed.distinct()


def visible_aircraft(user: SimUser) -> QuerySet[Aircraft]:
    flown = Aircraft.objects.filter(flights__in=visible_flights(user))
    if user.sees_fleet:
        return (Aircraft.objects.filter(fleet_id=user.fleet_id) | flown).distinct()
    return flown.distinct()


def can_see_flight(user: SimUser, flight: Flight) -> bool:
    return visible_flights(user).filter(pk=flight.pk).exists()
