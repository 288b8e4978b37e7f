"""The demo fleet's maintenance, for seed_demo, kept by the club's mechanic through the
maintenance services (which ground and release through grounding_sync, never by hand):

- C-GDFE's 100-hour is due soon, a few hours left on the tach;
- C-FDFC's annual inspection is overdue, so maintenance grounds it (its booking tomorrow is
  marked, and its member reminded);
- C-GDFB flies with a deferred squawk that every check-out lists;
- every aircraft has its annual, and the airplanes their 100-hour and oil change.

Run twice it adds nothing: an item is added only where the aircraft has none of its kind, the
squawk only where it was never reported. The due-soon 100-hour is moved back to a few hours
ahead (an audited item change) only if later demo days flew into it and nobody signed it off,
so the demo keeps showing one due soon rather than a second grounded aircraft.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dispatch.models import Aircraft
from dispatch.services.fleet import aircraft_set_status
from maintenance import due
from maintenance.chain import hours_at
from maintenance.models import MaintenanceItem, SignOff, Squawk
from maintenance.selectors import standing_of
from maintenance.services.items import PRESETS, ItemInput, item_create, item_update
from maintenance.services.squawks import squawk_rate, squawk_report

K = MaintenanceItem.Kind
DUE_SOON = "C-GDFE"
DUE_SOON_HOURS_LEFT = Decimal("4.0")
OVERDUE = "C-FDFC"
DEFERRED = "C-GDFB"
DEFERRED_SQUAWK = "Cabin door seal torn at the upper aft corner; door closes and latches normally."
DEFERRED_NOTE = "Deferred: the door latches and seals in flight; a new seal is on order (placarded)."
# Earlier demos grounded C-FDFC by hand with this reason: handed over to maintenance's own grounding.
EARLIER_DEMO_REASON = "Annual inspection due"


def maintenance(club, members, fleet) -> None:
    mechanic, today = members["mechanic"], timezone.localdate(timezone=club.tz)
    for aircraft in fleet:
        aircraft = Aircraft.objects.get(pk=aircraft.pk)
        with transaction.atomic():
            _hand_over_earlier_grounding(members["admin"], aircraft)
            _items(mechanic, aircraft, today)
    _deferred_squawk(members, next(a for a in fleet if a.registration == DEFERRED))


def _hand_over_earlier_grounding(admin, aircraft: Aircraft) -> None:
    """A demo seeded before maintenance existed: release the hand grounding, so the overdue
    annual grounds the aircraft as maintenance (a person's grounding is otherwise left alone)."""
    if (aircraft.registration == OVERDUE and aircraft.is_grounded and not aircraft.grounded_by_maintenance
            and aircraft.grounded_reason == EARLIER_DEMO_REASON
            and not MaintenanceItem.objects.filter(aircraft=aircraft).exists()):
        aircraft_set_status(actor=admin, aircraft=aircraft, grounded=False)


def _items(mechanic, aircraft: Aircraft, today) -> None:
    have = set(MaintenanceItem.objects.filter(aircraft=aircraft, is_active=True).values_list("kind", flat=True))
    hours = hours_at(aircraft)
    annual_due = today.replace(day=1) - timedelta(days=1) if aircraft.registration == OVERDUE else \
        due.end_of_month_after(today, 4 + aircraft.pk % 7)
    if K.ANNUAL not in have:
        item_create(actor=mechanic, aircraft=aircraft, data=_input(K.ANNUAL, next_due_on=annual_due))
    if aircraft.kind == Aircraft.Kind.SIMULATOR:
        return
    if K.HUNDRED_HOUR not in have:
        left = DUE_SOON_HOURS_LEFT if aircraft.registration == DUE_SOON else Decimal(35 + 9 * (aircraft.pk % 6))
        item_create(actor=mechanic, aircraft=aircraft, data=_input(K.HUNDRED_HOUR, next_due_hours=hours + left))
    elif aircraft.registration == DUE_SOON:
        _keep_due_soon(mechanic, aircraft, hours, today)
    if K.OIL_CHANGE not in have:
        item_create(actor=mechanic, aircraft=aircraft,
                    data=_input(K.OIL_CHANGE, next_due_hours=hours + Decimal("31.5"),
                                next_due_on=due.end_of_month_after(today, 2)))


def _input(kind: str, **due_point) -> ItemInput:
    return ItemInput(kind=kind, **{**PRESETS[kind], **due_point})


def _keep_due_soon(mechanic, aircraft: Aircraft, hours: Decimal, today) -> None:
    item = MaintenanceItem.objects.filter(aircraft=aircraft, kind=K.HUNDRED_HOUR, is_active=True).first()
    if item is None or SignOff.objects.filter(item=item).exists():
        return
    if standing_of(item, hours, today).state == due.State.DUE_SOON:
        return
    fields = {f: getattr(item, f) for f in ("kind", "name", "interval_hours", "interval_months", "tolerance_hours",
                                            "due_soon_hours", "due_soon_days", "next_due_on", "grounds_when_overdue")}
    item_update(actor=mechanic, item=item, data=ItemInput(**{**fields, "next_due_hours": hours + DUE_SOON_HOURS_LEFT}))


def _deferred_squawk(members, aircraft: Aircraft) -> None:
    if Squawk.objects.filter(aircraft=aircraft, description=DEFERRED_SQUAWK).exists():
        return
    with transaction.atomic():
        squawk = squawk_report(actor=members["pilot"], aircraft=aircraft, description=DEFERRED_SQUAWK)
        squawk_rate(actor=members["mechanic"], squawk=squawk, severity=Squawk.Severity.DEFERRED, note=DEFERRED_NOTE)
