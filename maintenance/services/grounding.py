"""Why an aircraft must stay on the ground, and keeping its status in step with that.

Causes: a grounding squawk still open, an item that grounds when overdue and is past its
tolerance. Dispatch asks `causes` before a person releases an aircraft (the release is
refused while any remain); `grounding_sync` grounds or releases it after every change that
can move them (a check-in, a flight, a sign-off, a squawk), and the beat runs it hourly for
items falling due by date."""

from datetime import date

from django.db import transaction

from core.entry_points import system_entry_point
from dispatch.models import Aircraft
from dispatch.services.fleet import aircraft_status_from_maintenance
from maintenance import due
from maintenance.selectors import aircraft_maintenance


@system_entry_point("a read: why the aircraft must stay grounded (dispatch's release hold, grounding_sync)")
def causes(aircraft: Aircraft, today: date | None = None) -> list[str]:
    state = aircraft_maintenance(aircraft, today)
    out = [f"grounding squawk open: {s.description[:80]}" for s in state.grounding]
    out += [i.text for i in state.items if i.state == due.State.OVERDUE and i.item.grounds_when_overdue]
    return out


@system_entry_point("maintenance keeps an aircraft's status in step with its records (subscribers, the beat)")
def grounding_sync(aircraft: Aircraft) -> bool:
    """Ground the aircraft while a cause remains, release it when the last one goes (only
    a grounding maintenance made). Returns whether the status changed."""
    if aircraft.is_retired:
        return False
    with transaction.atomic():
        # Locked before the causes are read: a sign-off committing at the same moment is
        # either seen here or waits for this to finish, never released and then re-grounded.
        Aircraft.objects.select_for_update().filter(pk=aircraft.pk).values_list("pk").first()
        return aircraft_status_from_maintenance(aircraft=aircraft, causes=causes(aircraft))


@system_entry_point("the maintenance beat: date-based items fall due with the calendar")
def grounding_sync_all() -> int:
    changed = 0
    ids = (Aircraft.objects.in_service().filter(maintenance_items__is_active=True).values_list("pk", flat=True)
           .distinct())
    grounded_by_us = Aircraft.objects.in_service().filter(grounded_by_maintenance=True).values_list("pk", flat=True)
    for aircraft in Aircraft.objects.filter(pk__in=set(ids) | set(grounded_by_us)).select_related("organization"):
        changed += grounding_sync(aircraft)
    return changed
