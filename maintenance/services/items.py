"""Keep an aircraft's inspections and items due, and sign them off.

Maintenance and admins only (maintenance.policy). Every write moves the aircraft's status
in the same transaction (grounding_sync): an item added already overdue grounds it; the
sign-off of the last overdue item releases it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clubs.changes import change_record
from clubs.models import Membership
from core.errors import Conflict, Invalid
from core.text import require_plain_line, require_plain_text
from dispatch.models import Aircraft
from dispatch.services.rules import check_aircraft_in_service
from maintenance import due, policy
from maintenance.chain import hours_at
from maintenance.events import item_payload
from maintenance.models import MaintenanceItem, SignOff
from maintenance.selectors import due_point_of, schedule_of
from maintenance.services.grounding import grounding_sync

K = MaintenanceItem.Kind
# What a kind starts with on the form (a club changes any of it).
PRESETS: dict[str, dict] = {
    K.HUNDRED_HOUR: {"name": "100-hour inspection", "interval_hours": Decimal("100"), "tolerance_hours": Decimal("10")},
    K.ANNUAL: {"name": "Annual inspection", "interval_months": 12},
    K.OIL_CHANGE: {"name": "Oil change", "interval_hours": Decimal("50"), "interval_months": 4,
                   "grounds_when_overdue": False},
    K.ELT: {"name": "ELT battery and inspection", "interval_months": 12},
    K.CUSTOM: {},
}
MAX_HOURS = Decimal("99999.9")


@dataclass(frozen=True)
class ItemInput:
    kind: str
    name: str
    interval_hours: Decimal | None = None
    interval_months: int | None = None
    tolerance_hours: Decimal = Decimal("0")
    due_soon_hours: Decimal = Decimal("10")
    due_soon_days: int = 30
    next_due_hours: Decimal | None = None
    next_due_on: date | None = None
    grounds_when_overdue: bool = True


def _hours(value, field: str, label: str, *, positive: bool = False) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0 or value > MAX_HOURS or (positive and value == 0):
        raise Invalid("hours_out_of_range", f"Give {label} in hours, {'more than 0' if positive else '0 or more'} "
                      f"and at most {MAX_HOURS}.", field=field)
    if value != value.quantize(Decimal("0.1")):
        raise Invalid("hours_precision", f"Give {label} to a tenth of an hour.", field=field)
    return value


def _check(data: ItemInput) -> None:
    if data.kind not in K.values:
        raise Invalid("maintenance_kind_unknown", "Unknown kind of maintenance item.", field="kind")
    require_plain_line(data.name, field="name", label="A name")
    if not data.name.strip() or len(data.name.strip()) > 80:
        raise Invalid("name_required", "Give the item a name of at most 80 characters.", field="name")
    _hours(data.interval_hours, "interval_hours", "the interval", positive=True)
    if data.interval_months is not None and not 1 <= data.interval_months <= 240:
        raise Invalid("months_out_of_range", "Give the interval in months, from 1 to 240.", field="interval_months")
    if data.interval_hours is None and data.interval_months is None:
        raise Invalid("interval_required", "Give an interval in hours, in months, or both (whichever comes first).",
                      field="interval_hours")
    _hours(data.tolerance_hours, "tolerance_hours", "the tolerance")
    _hours(data.due_soon_hours, "due_soon_hours", "the warning margin")
    if data.tolerance_hours is None or data.due_soon_hours is None:
        raise Invalid("hours_out_of_range", "Give the tolerance and the warning margin in hours.", field="tolerance_hours")
    if not 0 <= data.due_soon_days <= 366:
        raise Invalid("days_out_of_range", "Give the warning margin in days, from 0 to 366.", field="due_soon_days")
    if data.interval_hours is not None and data.next_due_hours is None:
        raise Invalid("next_due_required", "Give the hours it is next due at.", field="next_due_hours")
    _hours(data.next_due_hours, "next_due_hours", "the hours it is next due at")
    if data.interval_months is not None and data.next_due_on is None:
        raise Invalid("next_due_required", "Give the date it is next due.", field="next_due_on")
    if data.next_due_on is not None and not date(2000, 1, 1) <= data.next_due_on <= date(2100, 12, 31):
        raise Invalid("date_out_of_range", "Give a date between 2000 and 2100.", field="next_due_on")


def _apply(item: MaintenanceItem, data: ItemInput) -> None:
    item.kind, item.name = data.kind, data.name.strip()
    item.interval_hours, item.interval_months = data.interval_hours, data.interval_months
    item.tolerance_hours, item.due_soon_hours, item.due_soon_days = data.tolerance_hours, data.due_soon_hours, data.due_soon_days
    item.next_due_hours = data.next_due_hours if data.interval_hours is not None else None
    item.next_due_on = data.next_due_on if data.interval_months is not None else None
    item.grounds_when_overdue = data.grounds_when_overdue


def item_create(*, actor: Membership, aircraft: Aircraft, data: ItemInput) -> MaintenanceItem:
    policy.require_maintainer(actor, aircraft)
    check_aircraft_in_service(aircraft, "keep the maintenance of")
    _check(data)
    with transaction.atomic():
        item = MaintenanceItem(organization_id=aircraft.organization_id, aircraft=aircraft)
        _apply(item, data)
        item.save()
        change_record(event="maintenance.changed", organization=actor.organization, actor=actor, target=item,
                      audit_action="maintenance.item_added",
                      summary=f"Added {item.name} to {aircraft.registration}", payload=item_payload(item))
        grounding_sync(aircraft)
    return item


def _locked(actor: Membership, item: MaintenanceItem) -> MaintenanceItem:
    locked = MaintenanceItem.objects.select_for_update().select_related("aircraft__organization").filter(pk=item.pk).first()
    if locked is None or locked.organization_id != actor.organization_id:
        raise Conflict("maintenance_item_gone", "This item was removed.")
    return locked


def item_update(*, actor: Membership, item: MaintenanceItem, data: ItemInput) -> MaintenanceItem:
    policy.require_maintainer(actor, item.aircraft)
    _check(data)
    with transaction.atomic():
        locked = _locked(actor, item)
        if not locked.is_active:
            raise Conflict("maintenance_item_gone", "This item was removed.")
        before = item_payload(locked)
        _apply(locked, data)
        locked.save()
        change_record(event="maintenance.changed", organization=actor.organization, actor=actor, target=locked,
                      audit_action="maintenance.item_changed", summary=f"Changed {locked.name} of {locked.aircraft.registration}",
                      details={"before": before, "after": item_payload(locked)}, payload=item_payload(locked))
        grounding_sync(locked.aircraft)
    return locked


def item_remove(*, actor: Membership, item: MaintenanceItem, reason: str) -> MaintenanceItem:
    """Stop tracking an item (kept with its sign-offs for the record)."""
    policy.require_maintainer(actor, item.aircraft)
    reason = (reason or "").strip()
    require_plain_line(reason, field="reason", label="The reason")
    if not reason or len(reason) > 200:
        raise Invalid("reason_required", "Say why the item is no longer tracked (at most 200 characters).", field="reason")
    with transaction.atomic():
        locked = _locked(actor, item)
        locked.is_active = False
        locked.save(update_fields=["is_active", "updated_at"])
        change_record(event="maintenance.changed", organization=actor.organization, actor=actor, target=locked,
                      audit_action="maintenance.item_removed",
                      summary=f"Stopped tracking {locked.name} of {locked.aircraft.registration}: {reason}",
                      payload=item_payload(locked))
        grounding_sync(locked.aircraft)
    return locked


def item_sign_off(*, actor: Membership, item: MaintenanceItem, done_on: date, done_hours: Decimal | None = None,
                  notes: str = "") -> SignOff:
    """The item was done on `done_on` at `done_hours` (the aircraft's hours now when not
    given): record it, move the next due point (maintenance.due.next_due) and return the
    aircraft to service when nothing else holds it."""
    policy.require_maintainer(actor, item.aircraft)
    notes = (notes or "").strip()
    require_plain_text(notes, field="notes", label="The notes")
    if len(notes) > 2000:
        raise Invalid("notes_too_long", "Keep the notes under 2000 characters.", field="notes")
    today = timezone.localdate(timezone=actor.organization.tz)
    if done_on is None or done_on > today or done_on < date(2000, 1, 1):
        raise Invalid("done_on_invalid", "Give the day it was done: today or earlier.", field="done_on")
    _hours(done_hours, "done_hours", "the hours it was done at")
    with transaction.atomic():
        locked = _locked(actor, item)
        if not locked.is_active:
            raise Conflict("maintenance_item_gone", "This item was removed.")
        hours_now = hours_at(locked.aircraft)
        if locked.interval_hours is not None and done_hours is None:
            done_hours = hours_now
        if done_hours is not None and done_hours > hours_now:
            # Signed off at hours not yet flown would count as overflown and move the next
            # due point from the old one: a later inspection than the aircraft has earned.
            raise Invalid("done_hours_beyond_meters", f"The aircraft has flown {hours_now} h: it cannot have been "
                          f"done at {done_hours} h.", field="done_hours")
        before = due_point_of(locked)
        after = due.next_due(schedule_of(locked), before, done_hours, done_on)
        sign_off = SignOff.objects.create(
            item=locked, organization_id=locked.organization_id, aircraft_id=locked.aircraft_id, done_on=done_on,
            done_hours=done_hours, due_hours_before=before.hours, due_on_before=before.on, next_due_hours=after.hours,
            next_due_on=after.on, notes=notes, signed_by=actor.user)
        locked.last_done_on, locked.last_done_hours = done_on, done_hours
        locked.next_due_hours, locked.next_due_on = after.hours, after.on
        locked.save()
        next_text = " and ".join(t for t in (f"{after.hours} h" if after.hours is not None else "",
                                             f"{after.on:%d %b %Y}" if after.on else "") if t)
        change_record(event="maintenance.changed", organization=actor.organization, actor=actor, target=locked,
                      audit_action="maintenance.signed_off",
                      summary=f"Signed off {locked.name} of {locked.aircraft.registration}; next due {next_text}",
                      details={"done_on": done_on.isoformat(), "done_hours": str(done_hours) if done_hours is not None else None,
                               "due_before": {"hours": str(before.hours) if before.hours is not None else None,
                                              "on": before.on.isoformat() if before.on else None}},
                      payload=item_payload(locked))
        grounding_sync(locked.aircraft)
    return sign_off
