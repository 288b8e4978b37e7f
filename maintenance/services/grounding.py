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
from maintenance.selectors import aircraft_maintenance, fleet_maintenance


@system_entry_point("a read: why the aircraft must stay grounded (dispatch's release hold, grounding_sync)")
def causes(aircraft: Aircraft, today: date | None = None) -> list[str]:
    return _causes_of(aircraft_maintenance(aircraft, today))


def _causes_of(state) -> list[str]:
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
    """One look per club at every aircraft that keeps items or that maintenance grounded:
    the club's fleet is read in a fixed number of queries (fleet_maintenance), and only an
    aircraft whose status must move is locked and synced (grounding_sync reads its causes
    again under the lock, so a sign-off committing meanwhile is never undone). A
    30,000-aircraft database costs a few queries per club, not a dozen per aircraft."""
    changed = 0
    keeps_items = Aircraft.objects.in_service().filter(maintenance_items__is_active=True).values_list("pk", flat=True)
    grounded_by_us = Aircraft.objects.in_service().filter(grounded_by_maintenance=True).values_list("pk", flat=True)
    candidates = (Aircraft.objects.filter(pk__in=set(keeps_items) | set(grounded_by_us))
                  .select_related("organization").order_by("organization_id", "pk"))
    by_club: dict[int, list[Aircraft]] = {}
    for aircraft in candidates:
        by_club.setdefault(aircraft.organization_id, []).append(aircraft)
    for fleet in by_club.values():
        changed += sum(grounding_sync(aircraft) for aircraft in _status_must_move(fleet))
    return changed


def _status_must_move(fleet: list[Aircraft]) -> list[Aircraft]:
    """The club's aircraft whose maintenance status is out of step with their causes (or
    whose grounding reason is): read without locks, confirmed by grounding_sync."""
    state = fleet_maintenance(fleet[0].organization, [a.pk for a in fleet])
    out = []
    for aircraft in fleet:
        found = _causes_of(state[aircraft.pk])
        if found and not (aircraft.is_grounded and (aircraft.grounded_reason == found[0][:200]
                                                    or not aircraft.grounded_by_maintenance)):
            out.append(aircraft)
        elif not found and aircraft.is_grounded and aircraft.grounded_by_maintenance:
            out.append(aircraft)
    return out
