"""Reads for maintenance's pages, the board, the fleet page, the API and the feeds."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from dispatch.models import Aircraft
from maintenance import due
from maintenance.chain import hours_of
from maintenance.models import MaintenanceItem, Squawk


def schedule_of(item: MaintenanceItem) -> due.Schedule:
    return due.Schedule(interval_hours=item.interval_hours, interval_months=item.interval_months,
                        tolerance_hours=item.tolerance_hours, due_soon_hours=item.due_soon_hours,
                        due_soon_days=item.due_soon_days)


def due_point_of(item: MaintenanceItem) -> due.DuePoint:
    return due.DuePoint(hours=item.next_due_hours if item.interval_hours is not None else None,
                        on=item.next_due_on if item.interval_months is not None else None)


@dataclass(frozen=True)
class ItemStanding:
    item: MaintenanceItem
    standing: due.Standing
    hours_now: Decimal

    @property
    def state(self) -> due.State:
        return self.standing.state

    @property
    def level(self) -> str:
        """The state as a word for CSS classes and the board's notes: ok, due_soon, due, overdue."""
        return self.standing.state.name.lower()

    @property
    def text(self) -> str:
        """"100-hour inspection: due in 4.2 h or in 40 days", "100-hour inspection: 5.0 h past
        due (fly only to the inspection)", "Annual inspection: overdue, since 31 Mar 2026"."""
        s, item = self.standing, self.item
        hours = days = None
        if s.hours_left is not None:
            hours = (f"in {s.hours_left} h" if s.hours_left > 0 else "now" if s.hours_left == 0
                     else f"{-s.hours_left} h past due")
        if s.days_left is not None:
            days = (f"in {s.days_left} days" if s.days_left > 1 else "tomorrow" if s.days_left == 1
                    else "today" if s.days_left == 0 else f"since {item.next_due_on:%d %b %Y}")
        if s.state == due.State.OVERDUE:
            # Only what is past: the hours or the date, or both.
            past = [t for t, left in ((hours, s.hours_left), (days, s.days_left)) if left is not None and left < 0]
            return f"{item.name}: overdue, {' and '.join(past)}"
        if s.hours_left is not None and s.hours_left < 0:  # within the tolerance
            return f"{item.name}: {hours} (fly only to the inspection)"
        return f"{item.name}: due {' or '.join(t for t in (hours, days) if t)}"


def standing_of(item: MaintenanceItem, hours_now: Decimal, today: date) -> ItemStanding:
    return ItemStanding(item=item, standing=due.standing(schedule_of(item), due_point_of(item), hours_now, today),
                        hours_now=hours_now)


@dataclass
class AircraftMaintenance:
    """What the board and the fleet page say of one aircraft."""
    hours: Decimal
    items: list[ItemStanding] = field(default_factory=list)
    open_squawks: list[Squawk] = field(default_factory=list)

    @property
    def worst(self) -> due.State:
        return max((i.state for i in self.items), default=due.State.OK)

    @property
    def notes(self) -> list[ItemStanding]:
        """The items a dispatcher should see: due soon or worse, worst first."""
        return sorted((i for i in self.items if i.state >= due.State.DUE_SOON), key=lambda i: -i.state)

    @property
    def deferred(self) -> list[Squawk]:
        return [s for s in self.open_squawks if s.severity == Squawk.Severity.DEFERRED]

    @property
    def grounding(self) -> list[Squawk]:
        return [s for s in self.open_squawks if s.severity == Squawk.Severity.GROUNDING]


def fleet_maintenance(organization, aircraft_ids: list[int], today: date | None = None) -> dict[int, AircraftMaintenance]:
    """Every listed aircraft's hours, items and open squawks: three queries for any fleet."""
    today = today or timezone.localdate(timezone=organization.tz)
    hours = hours_of(aircraft_ids)
    out = {pk: AircraftMaintenance(hours=hours.get(pk, Decimal("0"))) for pk in aircraft_ids}
    for item in MaintenanceItem.objects.filter(aircraft_id__in=aircraft_ids, is_active=True):
        out[item.aircraft_id].items.append(standing_of(item, out[item.aircraft_id].hours, today))
    for squawk in (Squawk.objects.filter(aircraft_id__in=aircraft_ids, status=Squawk.Status.OPEN)
                   .select_related("reported_by", "booking")):
        out[squawk.aircraft_id].open_squawks.append(squawk)
    return out


def fleet_items_due(organization, aircraft_ids: list[int], today: date | None = None) -> dict[int, list[ItemStanding]]:
    """What the board says of each aircraft: its items due soon or worse, worst first. One
    query for a fleet that keeps no items, two for any other (the hours of those that do)."""
    today = today or timezone.localdate(timezone=organization.tz)
    items = list(MaintenanceItem.objects.filter(aircraft_id__in=aircraft_ids, is_active=True))
    if not items:
        return {}
    hours = hours_of(sorted({i.aircraft_id for i in items}))
    out: dict[int, list[ItemStanding]] = {}
    for item in items:
        standing = standing_of(item, hours.get(item.aircraft_id, Decimal("0")), today)
        if standing.state >= due.State.DUE_SOON:
            out.setdefault(item.aircraft_id, []).append(standing)
    return {pk: sorted(found, key=lambda i: -i.state) for pk, found in out.items()}


def aircraft_maintenance(aircraft: Aircraft, today: date | None = None) -> AircraftMaintenance:
    return fleet_maintenance(aircraft.organization, [aircraft.pk], today)[aircraft.pk]
