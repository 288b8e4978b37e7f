"""The meter chain of an aircraft: its readings in time order, and the hours it has flown.

Maintenance counts time in service on the tach (docs/decisions.md), kept as `hours` on every
absolute reading (a check-out, a check-in, a correction, the starting meters):
- a reading adds what the tach moved since the reading before it in time;
- a reset (a person's correction: a replaced or misread meter, by hand or at check-out with a
  reason) makes its tach the new base and never takes hours away: it adds what the tach moved
  when it moved forward (a reading missed), else the engine time flown since (a new meter
  reading 0), so a correction never rewinds an aircraft past its inspection, nor releases a
  grounding. Hours wrongly counted are taken back by correcting the check-in itself;
- the engine time of each flight Wi-Flight detected after the latest reading counts until the
  next reading, whose tach then covers it: nothing is counted twice.

Readings are flagged, never refused: one that runs backwards against the reading before it
in time, or past the one after it (a booking recorded after the fact with a wrong meter), is
`out_of_order` with a note saying which, and adds nothing.
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from dispatch.models import Aircraft
from maintenance.models import MeterReading

ABSOLUTE = ~Q(source=MeterReading.Source.FLIGHT)
TENTH = Decimal("0.1")


def _flights_between(aircraft_id: int, after: datetime | None, until: datetime) -> Decimal:
    flights = MeterReading.objects.filter(aircraft_id=aircraft_id, source=MeterReading.Source.FLIGHT, at__lte=until)
    if after is not None:
        flights = flights.filter(at__gt=after)
    return Decimal(flights.aggregate(s=Sum("engine_hours"))["s"] or 0)


def hours_at(aircraft: Aircraft, at: datetime | None = None) -> Decimal:
    """The aircraft's hours in service at `at` (now by default)."""
    at = at or timezone.now()
    last = MeterReading.objects.filter(ABSOLUTE, aircraft=aircraft, at__lte=at).order_by("-at", "-pk").first()
    if last is None:
        return aircraft.tach
    return (last.hours + _flights_between(aircraft.pk, last.at, at)).quantize(TENTH)


def hours_of(aircraft_ids: list[int]) -> dict[int, Decimal]:
    """Every listed aircraft's hours now, in one query whatever the size of the fleet."""
    now = timezone.now()
    latest = MeterReading.objects.filter(ABSOLUTE, aircraft=OuterRef("pk"), at__lte=now).order_by("-at", "-pk")
    number = DecimalField(max_digits=10, decimal_places=2)
    after = (MeterReading.objects.filter(aircraft=OuterRef("pk"), source=MeterReading.Source.FLIGHT, at__lte=now,
                                         at__gt=OuterRef("last_at"))
             .order_by().values("aircraft").annotate(s=Sum("engine_hours")).values("s"))
    rows = (Aircraft.objects.filter(pk__in=aircraft_ids)
            .annotate(last_at=Subquery(latest.values("at")[:1]), last_hours=Subquery(latest.values("hours")[:1]))
            .annotate(extra=Coalesce(Subquery(after, output_field=number), Decimal("0"), output_field=number))
            .values_list("pk", "tach", "last_hours", "extra"))
    return {pk: (Decimal(tach) if last is None else Decimal(last) + Decimal(extra)).quantize(TENTH)
            for pk, tach, last, extra in rows}


def _absolute(aircraft_id: int):
    return MeterReading.objects.filter(ABSOLUTE, aircraft_id=aircraft_id)


def _before(reading: MeterReading) -> MeterReading | None:
    return (_absolute(reading.aircraft_id).exclude(pk=reading.pk)
            .filter(Q(at__lt=reading.at) | Q(at=reading.at, pk__lt=reading.pk or 0)).order_by("-at", "-pk").first())


def _flag(reading: MeterReading, before: MeterReading | None) -> None:
    """Whether an absolute reading fits between its neighbours in time (a reset always does)."""
    reading.out_of_order = False
    if reading.is_reset:
        return
    after = (_absolute(reading.aircraft_id).exclude(pk=reading.pk).filter(at__gt=reading.at, is_reset=False)
             .order_by("at", "pk").first())
    why = []
    if before is not None and (reading.tach < before.tach or reading.hobbs < before.hobbs):
        why.append(f"below the {before.get_source_display().lower()} of {timezone.localtime(before.at):%d %b %H:%M} "
                   f"(Hobbs {before.hobbs}, tach {before.tach})")
    if after is not None and (reading.tach > after.tach or reading.hobbs > after.hobbs):
        why.append(f"above the {after.get_source_display().lower()} of {timezone.localtime(after.at):%d %b %H:%M} "
                   f"(Hobbs {after.hobbs}, tach {after.tach})")
    if why:
        reading.out_of_order = True
        reading.note = ("Out of order: " + "; ".join(why))[:300]


def _hours(reading: MeterReading, before: MeterReading | None) -> Decimal:
    if before is None:
        return reading.tach
    moved = max(reading.tach - before.tach, Decimal("0"))
    if reading.is_reset:
        return before.hours + max(moved, _flights_between(reading.aircraft_id, before.at, reading.at))
    return before.hours + moved


def _recount_after(reading: MeterReading) -> None:
    """The hours of the readings after one inserted or amended in the past (a booking recorded
    after the fact): each counts from the one before it again."""
    before = reading
    for later in _absolute(reading.aircraft_id).filter(Q(at__gt=reading.at) | Q(at=reading.at, pk__gt=reading.pk)) \
            .order_by("at", "pk"):
        hours = _hours(later, before)
        if hours != later.hours:
            MeterReading.objects.filter(pk=later.pk).update(hours=hours)
            later.hours = hours
        before = later


def record(*, aircraft: Aircraft, at: datetime, source: str, hobbs: Decimal | None = None, tach: Decimal | None = None,
           engine_hours: Decimal | None = None, booking=None, flight=None, recorded_by=None, note: str = "",
           reset: bool = False) -> MeterReading:
    """Add a reading to the chain (inside the caller's transaction), flagged if out of order.
    `reset`: a person's correction of the meter (CORRECTION always is one)."""
    reading = MeterReading(organization_id=aircraft.organization_id, aircraft=aircraft, at=at, source=source,
                           hobbs=hobbs, tach=tach, engine_hours=engine_hours, booking=booking, flight=flight,
                           recorded_by=recorded_by, note=note[:300],
                           is_reset=reset or source == MeterReading.Source.CORRECTION)
    if reading.is_absolute:
        before = _before(reading)
        _flag(reading, before)
        reading.hours = _hours(reading, before)
    reading.save()
    if reading.is_absolute:
        _recount_after(reading)
    return reading


def amend(reading: MeterReading, *, hobbs: Decimal, tach: Decimal, note: str) -> MeterReading:
    """A corrected check-in: its reading takes the new values and says why; flagged and
    counted afresh, and the readings after it with it."""
    reading.hobbs, reading.tach, reading.note = hobbs, tach, note[:300]
    before = _before(reading)
    _flag(reading, before)
    reading.hours = _hours(reading, before)
    reading.save(update_fields=["hobbs", "tach", "note", "out_of_order", "hours"])
    _recount_after(reading)
    return reading
