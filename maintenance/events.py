"""The payloads of maintenance's change events (docs/events.md lists them)."""

from maintenance.models import MaintenanceItem, Squawk


def item_payload(item: MaintenanceItem) -> dict:
    return {"id": item.pk, "aircraft_id": item.aircraft_id, "kind": item.kind, "name": item.name,
            "next_due_hours": str(item.next_due_hours) if item.next_due_hours is not None else None,
            "next_due_on": item.next_due_on.isoformat() if item.next_due_on else None, "active": item.is_active}


def squawk_payload(squawk: Squawk) -> dict:
    return {"id": squawk.pk, "aircraft_id": squawk.aircraft_id, "severity": squawk.severity, "status": squawk.status,
            "booking_id": squawk.booking_id, "reported_at": squawk.reported_at.isoformat()}
