"""Reads about detected flights and the flight log: a member's flights, a booking's flights
and engine time, per-aircraft totals, the club list with filters, flights without a booking
and the bookings they may belong to. Who sees what is flights.policy's answer."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from clubs.models import Membership
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.selectors import DISPLAY_NAME_FIELDS, local_midnight
from flights.models import Flight, FlightCrew, LogbookEntry
from flights.policy import may_assign_flights, visible_entries, visible_flights

# How far from a flight a booking may be and still be offered when assigning it by hand.
CANDIDATE_WINDOW = timedelta(hours=4)


def flights_of_member(membership: Membership) -> QuerySet[Flight]:
    """The flights a member was on (their "My flights"), whatever else their roles show them:
    flights_crewed_by's meaning, read from the member's own crew rows so the cost grows with
    their flights, not with the club's (bench/scale.py's "my bookings")."""
    crewed = Q(pk__in=FlightCrew.objects.filter(membership=membership).values("flight_id"))
    booked = Q(booking_id__in=BookingCrew.objects.filter(membership=membership).values("booking_id"))
    return Flight.objects.filter(crewed | booked, organization_id=membership.organization_id)


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


def crew_names_prefetch() -> Prefetch:
    """A flight's crew as the lists show them: a member's name, or the Wi-Flight username. One
    query (not one each for crew, memberships and users), of only those columns."""
    return Prefetch("crew", queryset=FlightCrew.objects.select_related("membership__user").order_by("pk").only(
        "flight", "membership", "wiflight_username", *(f"membership__{f}" for f in DISPLAY_NAME_FIELDS)))


def with_listing_relations(qs: QuerySet[Flight]) -> QuerySet[Flight]:
    return qs.select_related("aircraft", "booking").prefetch_related(crew_names_prefetch()).order_by("-start", "-pk")


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
    suggested_tach_in: Decimal | None = None

    @property
    def flagged(self) -> bool:
        return _beyond_tolerance(self.hobbs_difference)

    def hobbs_warning(self, hobbs_hours: Decimal) -> Decimal | None:
        """Before check-in: how far a Hobbs time about to be entered is from the detected
        engine time, when that is beyond the tolerance `flagged` uses (None without a flight)."""
        if not self.flights:
            return None
        difference = hobbs_hours - self.engine_hours
        return difference if _beyond_tolerance(difference) else None


def _beyond_tolerance(difference: Decimal | None) -> bool:
    return difference is not None and abs(difference) > Decimal(str(settings.WIFLIGHT_HOBBS_TOLERANCE_HOURS))


def booking_flights(booking: Booking) -> BookingFlights:
    """The booking's flights; the check-in suggestions (meters out + engine hours detected) and,
    once checked in, how far the Hobbs time is from the detected engine time."""
    flights = list(booking.flights.select_related("aircraft").order_by("start"))
    engine = _tenths(sum(f.engine_seconds for f in flights) / 3600)
    record = getattr(booking, "dispatch", None)
    suggested = suggested_tach = difference = None
    if flights and record is not None:
        suggested = record.hobbs_out + engine
        # Wi-Flight reports engine-running time only. Tach hours run a little slower than
        # clock time at cruise RPM, but engine time is the best basis we have, and the pilot
        # corrects it from the meter; a prefill that is close beats an empty field.
        suggested_tach = record.tach_out + engine
        if record.hobbs_in is not None:
            difference = record.hobbs_hours - engine
    return BookingFlights(flights, engine, suggested, difference, suggested_tach)


def logbook_of(membership: Membership) -> QuerySet[LogbookEntry]:
    """A member's own flight log (what they see of others' is visible_entries)."""
    return (visible_entries(membership).filter(membership=membership).select_related("flight", "aircraft", "booking")
            .order_by("-date", "-pk"))


def flights_without_booking(actor: Membership) -> QuerySet[Flight]:
    """Every flight of the club no booking claims, for those who may assign them."""
    if not may_assign_flights(actor):
        return Flight.objects.none()
    return (visible_flights(actor).filter(booking__isnull=True).select_related("aircraft")
            .prefetch_related("crew__membership__user").order_by("-start", "-pk"))


def _ranked(bookings, start: datetime, end: datetime) -> list[Booking]:
    """Best first: the largest overlap, then the smallest gap, the shorter booking, the
    earlier start. The same ranking Wi-Flight uses to match (docs/wiflight.md decision 3)."""
    def rank(b: Booking):
        overlap = (min(end, b.end) - max(start, b.start)).total_seconds()
        gap = max(0.0, (b.start - end).total_seconds(), (start - b.end).total_seconds())
        return (-max(overlap, 0.0), gap, (b.end - b.start).total_seconds(), b.start, str(b.uid))

    return sorted(bookings, key=rank)


def _near(aircraft_id: int, start: datetime, end: datetime, within: timedelta) -> Q:
    return Q(aircraft_id=aircraft_id, start__lt=end + within, end__gt=start - within)


def booking_candidates(*, aircraft: Aircraft | None, start: datetime, end: datetime,
                       within: timedelta = CANDIDATE_WINDOW) -> list[Booking]:
    """Bookings of the aircraft (not cancelled) that overlap the flight widened by `within`,
    best first."""
    if aircraft is None:
        return []
    candidates = (Booking.objects.filter(_near(aircraft.pk, start, end, within))
                  .exclude(status=Booking.Status.CANCELLED).prefetch_related("crew__membership__user"))
    return _ranked(candidates, start, end)


def booking_candidates_for(flights: list[Flight], *, within: timedelta = CANDIDATE_WINDOW) -> dict[int, list[Booking]]:
    """`booking_candidates` of many flights at once (the unassigned page): one query for all."""
    placed = [f for f in flights if f.aircraft_id is not None]
    if not placed:
        return {f.pk: [] for f in flights}
    near_any = Q()
    for f in placed:
        near_any |= _near(f.aircraft_id, f.start, f.end, within)
    bookings = list(Booking.objects.filter(near_any).exclude(status=Booking.Status.CANCELLED)
                    .prefetch_related("crew__membership__user"))
    return {f.pk: _ranked([b for b in bookings if f.aircraft_id is not None and b.aircraft_id == f.aircraft_id
                           and b.start < f.end + within and b.end > f.start - within], f.start, f.end)
            for f in flights}
