"""Fuzzy matching of flights to reservations (docs/wiflight.md, "Matching").

Rules, in one place:
- A reservation is a candidate for a flight when it is for the same aircraft and the flight
  (engine on to engine off) overlaps the reservation widened by the tolerance on both sides.
- Within one domain a flight takes the best candidate: the larger overlap with the
  reservation's own interval, then the smaller gap (for flights wholly inside the tolerance),
  then the shorter reservation (the most specific claim beats an all-time subscription),
  then the earlier start, then the name.
- Matches are permanent: once a flight matched a reservation in a domain it keeps it, even
  if the reservation later changes or a better one appears. Re-evaluation only fills
  domains in which the flight has no match yet. (Deletion is refused after a match for the
  same reason: the flight's crew and the sent notification depend on it.)
Callers hold the transaction; every function here runs inside it.
"""

from datetime import timedelta

from django.conf import settings

from wiflight_sim.models import Flight, FlightMatch, Reservation
from wiflight_sim.notifications import notification_queue

# Longest flight we look back for when a reservation changes (a recorder day).
_MAX_FLIGHT = timedelta(hours=24)


def _tolerance() -> timedelta:
    return timedelta(seconds=settings.SIM_MATCH_TOLERANCE_SECONDS)


def is_candidate(flight: Flight, reservation: Reservation) -> bool:
    tolerance = _tolerance()
    return (
        reservation.aircraft_id == flight.aircraft_id
        and flight.start < reservation.end + tolerance
        and flight.end > reservation.start - tolerance
    )


def rank_key(flight: Flight, reservation: Reservation) -> tuple:
    overlap = (min(flight.end, reservation.end) - max(flight.start, reservation.start)).total_seconds()
    gap = max((reservation.start - flight.end).total_seconds(), (flight.start - reservation.end).total_seconds(), 0)
    span = (reservation.end - reservation.start).total_seconds()
    return (-max(overlap, 0), gap, span, reservation.start, reservation.name)


def best_candidate(flight: Flight, reservations) -> Reservation | None:
    candidates = [r for r in reservations if is_candidate(flight, r)]
    return min(candidates, key=lambda r: rank_key(flight, r)) if candidates else None


def match_flight(flight: Flight, domains: list[str] | None = None) -> list[FlightMatch]:
    """Give `flight` its best reservation in every domain where it has none yet."""
    tolerance = _tolerance()
    taken = set(flight.matches.values_list("domain", flat=True))
    rows = Reservation.objects.select_related("aircraft").filter(
        aircraft_id=flight.aircraft_id, start__lt=flight.end + tolerance, end__gt=flight.start - tolerance
    )
    if domains is not None:
        rows = rows.filter(domain__in=domains)
    by_domain: dict[str, list[Reservation]] = {}
    for reservation in rows:
        if reservation.domain not in taken:
            by_domain.setdefault(reservation.domain, []).append(reservation)
    created = []
    for domain in sorted(by_domain):
        best = best_candidate(flight, by_domain[domain])
        if best is not None:
            created.append(FlightMatch.objects.create(flight=flight, reservation=best, domain=domain))
            notification_queue(flight=flight, reservation=best)
    return created


def match_reservation(reservation: Reservation) -> list[FlightMatch]:
    """Re-evaluate after a reservation is created or changed: unmatched flights may now match."""
    tolerance = _tolerance()
    flights = Flight.objects.select_related("aircraft").filter(
        aircraft_id=reservation.aircraft_id,
        start__lt=reservation.end + tolerance,
        start__gt=reservation.start - tolerance - _MAX_FLIGHT,
    ).exclude(matches__domain=reservation.domain)
    created = []
    for flight in flights.order_by("start", "pk"):
        if is_candidate(flight, reservation):
            created.extend(match_flight(flight, domains=[reservation.domain]))
    return created
