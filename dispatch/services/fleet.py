"""Add and edit aircraft, ground them and release them."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dispatch.models import Aircraft
from clubs.changes import change_record
from clubs.models import Membership


def normalize_registration(value: str) -> str:
    return "".join(value.split()).upper()


@dataclass(frozen=True)
class AircraftInput:
    registration: str
    aircraft_type: str
    kind: str = Aircraft.Kind.AIRPLANE
    home_base: str = ""
    hourly_rate: Decimal = Decimal("0")
    has_wiflight_recorder: bool = True


def aircraft_payload(aircraft: Aircraft) -> dict:
    return {"id": aircraft.pk, "registration": aircraft.registration, "type": aircraft.aircraft_type,
            "kind": aircraft.kind, "status": aircraft.status, "grounded_reason": aircraft.grounded_reason}


def _apply(aircraft: Aircraft, data: AircraftInput) -> None:
    aircraft.registration = normalize_registration(data.registration)
    if not aircraft.registration:
        raise ValidationError("Give the registration.")
    aircraft.aircraft_type = data.aircraft_type.strip()
    aircraft.kind = data.kind
    aircraft.home_base = data.home_base.strip().upper()
    aircraft.hourly_rate = data.hourly_rate
    aircraft.has_wiflight_recorder = data.has_wiflight_recorder and data.kind != Aircraft.Kind.SIMULATOR


def _save(aircraft: Aircraft) -> None:
    try:
        with transaction.atomic():
            aircraft.save()
    except IntegrityError as exc:
        raise ValidationError(f"This club already has an aircraft registered {aircraft.registration}.") from exc


def aircraft_create(*, actor: Membership, data: AircraftInput) -> Aircraft:
    if not actor.can_manage_fleet:
        raise ValidationError("Only club admins add aircraft.")
    with transaction.atomic():
        aircraft = Aircraft(organization=actor.organization)
        _apply(aircraft, data)
        _save(aircraft)
        change_record(event="aircraft.added", organization=actor.organization, actor=actor, target=aircraft,
                      summary=f"Added {aircraft.registration} ({aircraft.aircraft_type})", audit_action="aircraft.created",
                      payload=aircraft_payload(aircraft))
    return aircraft


def aircraft_update(*, actor: Membership, aircraft: Aircraft, data: AircraftInput) -> Aircraft:
    if not actor.can_manage_fleet:
        raise ValidationError("Only club admins edit aircraft.")
    with transaction.atomic():
        before = aircraft.registration
        _apply(aircraft, data)
        _save(aircraft)
        change_record(event="aircraft.changed", organization=actor.organization, actor=actor, target=aircraft,
                      summary=f"Edited {before}" + (f" (now {aircraft.registration})" if before != aircraft.registration else ""),
                      audit_action="aircraft.updated", payload=aircraft_payload(aircraft))
    return aircraft


def aircraft_set_status(*, actor: Membership, aircraft: Aircraft, grounded: bool, reason: str = "") -> Aircraft:
    """Ground (with a reason) or release an aircraft. Future bookings stay; the board marks
    them at risk so a dispatcher can move them."""
    if not actor.can_set_aircraft_status:
        raise ValidationError("Only maintenance, dispatchers and admins change an aircraft's status.")
    reason = reason.strip()
    if grounded and not reason:
        raise ValidationError("Say why the aircraft is grounded.")
    with transaction.atomic():
        aircraft.status = Aircraft.Status.GROUNDED if grounded else Aircraft.Status.AVAILABLE
        aircraft.grounded_reason = reason if grounded else ""
        aircraft.save(update_fields=["status", "grounded_reason"])
        change_record(event="aircraft.status_changed", organization=actor.organization, actor=actor, target=aircraft,
                      audit_action="aircraft.grounded" if grounded else "aircraft.released",
                      summary=f"Grounded {aircraft.registration}: {reason}" if grounded else f"Released {aircraft.registration} for service",
                      payload=aircraft_payload(aircraft))
    return aircraft
