"""Reads about detected flights and the flight log: who sees which flight, a booking's
flights and engine time, per-aircraft totals, the club list with filters."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from dispatch.models import Booking
from flights.models import LogbookEntry
from dispatch.selectors import local_midnight
from flights.models import Flight
from clubs.models import Membership


def flights_visible_to(membership: Membership) -> QuerySet[Flight]:
    """Dispatchers, admins and maintenance: the club's flights. Instructors: their own and
    their students'. Everyone else: flights they were crew on."""
    qs = Flight.objects.filter(organization=membership.organization)
    if membership.sees_all_bookings:
        return qs
    mine = Q(crew__membership=membership)
    if membership.is_instructor:
        mine |= Q(crew__membership__instructor=membership)
    return qs.filter(pk__in=Flight.objects.filter(mine).values("pk"))


def flights_of_member(membership: Membership) -> QuerySet[Flight]:
    return Flight.objects.filter(organization=membership.organization,
                                 pk__in=Flight.objects.filter(crew__membership=membership).values("pk"))


@dataclass(frozen=True)
class FlightFilters:
    date_from: date | None = None
    date_to: date | None = None
    aircraft_id: int | None = None
    membership_id: int | None = None


def filter_flights(qs: QuerySet[Flight], filters: FlightFilters, tz) -> QuerySet[Flight]:
    if filters.date_from:
        qs = qs.filter(start__gte=local_midnight(filters.date_from, tz))
    if filters.date_to:
        qs = qs.filter(start__lt=local_midnight(filters.date_to + timedelta(days=1), tz))
    if filters.aircraft_id:
        qs = qs.filter(aircraft_id=filters.aircraft_id)
    if filters.membership_id:
        qs = qs.filter(pk__in=Flight.objects.filter(crew__membership_id=filters.membership_id).values("pk"))
    return qs


def with_listing_relations(qs: QuerySet[Flight]) -> QuerySet[Flight]:
    return qs.select_related("aircraft", "booking").prefetch_related("crew__membership__user").order_by("-start", "-pk")


@dataclass(frozen=True)
class AircraftTotals:
    flights: int
    air_hours: float
    engine_hours: float


def aircraft_totals(organization) -> dict[int, AircraftTotals]:
    """Every flight of each aircraft (the maintenance subscription sees them all), one query."""
    rows = (Flight.objects.filter(organization=organization, aircraft__isnull=False).values("aircraft_id")
            .annotate(n=Count("pk"), air=Sum("airtime_seconds"), engine=Sum("engine_seconds")))
    return {r["aircraft_id"]: AircraftTotals(r["n"], (r["air"] or 0) / 3600, (r["engine"] or 0) / 3600) for r in rows}


def _tenths(hours: float) -> Decimal:
    return Decimal(str(hours)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BookingFlights:
    flights: list[Flight]
    engine_hours: Decimal
    suggested_hobbs_in: Decimal | None
    hobbs_difference: Decimal | None

    @property
    def flagged(self) -> bool:
        return self.hobbs_difference is not None and abs(self.hobbs_difference) > Decimal(
            str(settings.WIFLIGHT_HOBBS_TOLERANCE_HOURS))


def booking_flights(booking: Booking) -> BookingFlights:
    """The booking's flights; the check-in suggestion (Hobbs out + engine hours detected) and,
    once checked in, how far the Hobbs time is from the detected engine time."""
    flights = list(booking.flights.select_related("aircraft").order_by("start"))
    engine = _tenths(sum(f.engine_seconds for f in flights) / 3600)
    record = getattr(booking, "dispatch", None)
    suggested = difference = None
    if flights and record is not None:
        suggested = record.hobbs_out + engine
        if record.hobbs_in is not None:
            difference = record.hobbs_hours - engine
    return BookingFlights(flights, engine, suggested, difference)


def logbook_of(membership: Membership) -> QuerySet[LogbookEntry]:
    return LogbookEntry.objects.filter(membership=membership).select_related("flight", "aircraft").order_by("-date", "-pk")
