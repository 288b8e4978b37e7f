"""The meter chain of an aircraft: its readings in time order, and the hours it has flown.

The hours maintenance counts are on the tach (docs/decisions.md): the latest absolute
reading (a check-out, a check-in, a correction, the starting meters) plus the engine time of
every flight Wi-Flight detected after it. A check-in's reading then takes over from the
engine time of the flights it covers, so nothing is counted twice: a flight before the
latest reading is inside it.

Readings are flagged, never refused: one that runs backwards against the reading before it
in time, or past the one after it (a booking recorded after the fact with a wrong meter), is
`out_of_order` with a note saying which; a correction is a person's deliberate reset, audited
where it was made, and starts the chain afresh.
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from dispatch.models import Aircraft
from maintenance.models import MeterReading

ABSOLUTE = ~Q(source=MeterReading.Source.FLIGHT)
RESETS = (MeterReading.Source.CORRECTION, MeterReading.Source.INITIAL)


def _latest_absolute(aircraft: Aircraft, at: datetime) -> MeterReading | None:
    return (MeterReading.objects.filter(ABSOLUTE, aircraft=aircraft, at__lte=at).order_by("-at", "-pk").first())


def hours_at(aircraft: Aircraft, at: datetime | None = None) -> Decimal:
    """The aircraft's hours (tach) at `at` (now by default)."""
    at = at or timezone.now()
    last = _latest_absolute(aircraft, at)
    flights = MeterReading.objects.filter(aircraft=aircraft, source=MeterReading.Source.FLIGHT, at__lte=at)
    if last is None:
        return aircraft.tach
    flights = flights.filter(at__gt=last.at)
    extra = flights.aggregate(s=Sum("engine_hours"))["s"] or Decimal("0")
    return (last.tach + Decimal(extra)).quantize(Decimal("0.1"))


def hours_of(aircraft_ids: list[int]) -> dict[int, Decimal]:
    """Every listed aircraft's hours now, in one query whatever the size of the fleet."""
    now = timezone.now()
    latest = MeterReading.objects.filter(ABSOLUTE, aircraft=OuterRef("pk"), at__lte=now).order_by("-at", "-pk")
    money = DecimalField(max_digits=10, decimal_places=2)
    after = (MeterReading.objects.filter(aircraft=OuterRef("pk"), source=MeterReading.Source.FLIGHT, at__lte=now,
                                         at__gt=OuterRef("last_at"))
             .order_by().values("aircraft").annotate(s=Sum("engine_hours")).values("s"))
    rows = (Aircraft.objects.filter(pk__in=aircraft_ids)
            .annotate(last_at=Subquery(latest.values("at")[:1]), last_tach=Subquery(latest.values("tach")[:1]))
            .annotate(extra=Coalesce(Subquery(after, output_field=money), Decimal("0"), output_field=money))
            .values_list("pk", "tach", "last_tach", "extra"))
    out = {}
    for pk, tach, last_tach, extra in rows:
        base = last_tach if last_tach is not None else tach
        out[pk] = (Decimal(base) + (Decimal(extra) if last_tach is not None else Decimal("0"))).quantize(Decimal("0.1"))
    return out


def _flag(reading: MeterReading) -> None:
    """Whether an absolute reading fits between its neighbours in time (corrections reset)."""
    if not reading.is_absolute or reading.source in RESETS:
        return
    others = MeterReading.objects.filter(ABSOLUTE, aircraft_id=reading.aircraft_id).exclude(pk=reading.pk)
    before = others.filter(Q(at__lt=reading.at) | Q(at=reading.at, pk__lt=reading.pk or 0)).order_by("-at", "-pk").first()
    after = others.filter(at__gt=reading.at).exclude(source__in=RESETS).order_by("at", "pk").first()
    why = []
    if before is not None and (reading.tach < before.tach or reading.hobbs < before.hobbs):
        why.append(f"below the {before.get_source_display().lower()} of {timezone.localtime(before.at):%d %b %H:%M} "
                   f"(Hobbs {before.hobbs}, tach {before.tach})")
    if after is not None and (reading.tach > after.tach or reading.hobbs > after.hobbs):
        why.append(f"above the {after.get_source_display().lower()} of {timezone.localtime(after.at):%d %b %H:%M} "
                   f"(Hobbs {after.hobbs}, tach {after.tach})")
    reading.out_of_order = bool(why)
    if why:
        reading.note = ("Out of order: " + "; ".join(why))[:300]


def record(*, aircraft: Aircraft, at: datetime, source: str, hobbs: Decimal | None = None, tach: Decimal | None = None,
           engine_hours: Decimal | None = None, booking=None, flight=None, recorded_by=None, note: str = "") -> MeterReading:
    """Add a reading to the chain (inside the caller's transaction), flagged if out of order."""
    reading = MeterReading(organization_id=aircraft.organization_id, aircraft=aircraft, at=at, source=source,
                           hobbs=hobbs, tach=tach, engine_hours=engine_hours, booking=booking, flight=flight,
                           recorded_by=recorded_by, note=note[:300])
    _flag(reading)
    reading.save()
    return reading


def amend(reading: MeterReading, *, hobbs: Decimal, tach: Decimal, note: str) -> MeterReading:
    """A corrected check-in: its reading takes the new values and says why; flagged afresh."""
    reading.hobbs, reading.tach, reading.note, reading.out_of_order = hobbs, tach, note[:300], False
    _flag(reading)
    reading.save(update_fields=["hobbs", "tach", "note", "out_of_order"])
    return reading
