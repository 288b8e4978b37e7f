"""How the API says where an aircraft's maintenance stands: each item's standing, and the
`maintenance` attribute of an aircraft (hours, worst state, what is due soon or worse), read
for a whole page of aircraft at once (maintenance.selectors.fleet_maintenance)."""

from rest_framework import serializers

from dispatch.models import Aircraft
from maintenance import due
from maintenance.models import MaintenanceItem
from maintenance.selectors import AircraftMaintenance, ItemStanding, fleet_maintenance
STATES = [state.name.lower() for state in due.State]


def _decimal(value) -> str | None:
    return None if value is None else str(value)


def state_name(state: due.State) -> str:
    return state.name.lower()


class StandingSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=STATES, help_text="due: past the due point, within the tolerance "
                                    "(fly only to the inspection); overdue grounds the aircraft when the item says so.")
    text = serializers.CharField(help_text='In words, e.g. "100-hour inspection: due in 4.2 h".')
    hours_left = serializers.CharField(allow_null=True, help_text="A decimal string, negative once past.")
    days_left = serializers.IntegerField(allow_null=True)


class MaintenanceItemAttributes(serializers.Serializer):
    aircraft_id = serializers.CharField()
    kind = serializers.ChoiceField(choices=MaintenanceItem.Kind.choices)
    name = serializers.CharField()
    interval_hours = serializers.CharField(allow_null=True)
    interval_months = serializers.IntegerField(allow_null=True)
    tolerance_hours = serializers.CharField()
    next_due_hours = serializers.CharField(allow_null=True)
    next_due_on = serializers.DateField(allow_null=True)
    last_done_hours = serializers.CharField(allow_null=True)
    last_done_on = serializers.DateField(allow_null=True)
    grounds_when_overdue = serializers.BooleanField()
    standing = StandingSerializer()


class DueItemSerializer(StandingSerializer):
    item_id = serializers.CharField()
    name = serializers.CharField()


class AircraftMaintenanceSerializer(serializers.Serializer):
    hours = serializers.CharField(help_text="The aircraft's hours on the meter chain, a decimal string.")
    state = serializers.ChoiceField(choices=STATES, help_text="The worst of its items.")
    due = DueItemSerializer(many=True, help_text="Items due soon or worse, worst first.")
    open_squawks = serializers.IntegerField()
    deferred_squawks = serializers.IntegerField()
    grounding_squawks = serializers.IntegerField()


def standing_attributes(s: ItemStanding) -> dict:
    return {"state": state_name(s.state), "text": s.text, "hours_left": _decimal(s.standing.hours_left),
            "days_left": s.standing.days_left}


def item_attributes(s: ItemStanding) -> dict:
    item = s.item
    return {"aircraft_id": str(item.aircraft_id), "kind": item.kind, "name": item.name,
            "interval_hours": _decimal(item.interval_hours), "interval_months": item.interval_months,
            "tolerance_hours": str(item.tolerance_hours), "next_due_hours": _decimal(item.next_due_hours),
            "next_due_on": item.next_due_on.isoformat() if item.next_due_on else None,
            "last_done_hours": _decimal(item.last_done_hours),
            "last_done_on": item.last_done_on.isoformat() if item.last_done_on else None,
            "grounds_when_overdue": item.grounds_when_overdue, "standing": standing_attributes(s)}


def summary(m: AircraftMaintenance) -> dict:
    return {"hours": str(m.hours), "state": state_name(m.worst),
            "due": [{"item_id": str(s.item.pk), "name": s.item.name, **standing_attributes(s)} for s in m.notes],
            "open_squawks": len(m.open_squawks), "deferred_squawks": len(m.deferred),
            "grounding_squawks": len(m.grounding)}


def summaries_for(organization, aircraft: list[Aircraft]) -> dict[int, dict]:
    """One read for a page of aircraft, whatever its size."""
    return {pk: summary(m) for pk, m in fleet_maintenance(organization, [a.pk for a in aircraft]).items()}
