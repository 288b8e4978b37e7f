"""Add and edit aircraft, ground them and release them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from clubs.changes import change_record
from clubs.models import Membership
from core.errors import Conflict, Invalid
from core.text import require_plain_line
from dispatch import policy
from dispatch.models import Aircraft
from dispatch.models.fleet import REGISTRATION_KEY, normalize_registration, registration_key
from dispatch.events import aircraft_payload


@dataclass(frozen=True)
class AircraftInput:
    registration: str
    aircraft_type: str
    kind: str = Aircraft.Kind.AIRPLANE
    home_base: str = ""
    hourly_rate: Decimal = Decimal("0")
    has_wiflight_recorder: bool = True


def _apply(aircraft: Aircraft, data: AircraftInput) -> None:
    # The registration is the tail sent to Wi-Flight; the type and base are shown everywhere.
    require_plain_line(data.registration, field="registration", label="A registration")
    require_plain_line(data.aircraft_type, field="aircraft_type", label="An aircraft type")
    require_plain_line(data.home_base, field="home_base", label="A home base")
    aircraft.registration = normalize_registration(data.registration)
    if not registration_key(aircraft.registration):
        raise Invalid("registration_required", "Give the registration.", field="registration")
    aircraft.aircraft_type = data.aircraft_type.strip()
    aircraft.kind = data.kind
    aircraft.home_base = data.home_base.strip().upper()
    aircraft.hourly_rate = data.hourly_rate
    aircraft.has_wiflight_recorder = data.has_wiflight_recorder and data.kind != Aircraft.Kind.SIMULATOR


def _registration_taken(aircraft: Aircraft) -> Conflict:
    return Conflict("registration_taken", f"This club already has an aircraft registered {aircraft.registration}.",
                    field="registration")


def _save(aircraft: Aircraft) -> None:
    """Registrations are compared without spaces and dashes ("C GDFA" is "C-GDFA"); the
    unique constraint on that key is the guarantee, this check names the one already there."""
    taken = (Aircraft.objects.filter(organization_id=aircraft.organization_id).exclude(pk=aircraft.pk)
             .annotate(key=REGISTRATION_KEY).filter(key=registration_key(aircraft.registration)).first())
    if taken is not None:
        raise Conflict("registration_taken", f"This club already has an aircraft registered {taken.registration}.",
                       field="registration", details={"aircraft_id": taken.pk})
    try:
        with transaction.atomic():
            aircraft.save()
    except IntegrityError as exc:
        raise _registration_taken(aircraft) from exc


def aircraft_create(*, actor: Membership, data: AircraftInput) -> Aircraft:
    policy.require_fleet_manager(actor, None, "add")
    with transaction.atomic():
        aircraft = Aircraft(organization=actor.organization)
        _apply(aircraft, data)
        _save(aircraft)
        change_record(event="aircraft.added", organization=actor.organization, actor=actor, target=aircraft,
                      summary=f"Added {aircraft.registration} ({aircraft.aircraft_type})", audit_action="aircraft.created",
                      payload=aircraft_payload(aircraft))
    return aircraft


def aircraft_update(*, actor: Membership, aircraft: Aircraft, data: AircraftInput) -> Aircraft:
    policy.require_fleet_manager(actor, aircraft, "edit")
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
    policy.require_status_setter(actor, aircraft)
    reason = reason.strip()
    if grounded and not reason:
        raise Invalid("reason_required", "Say why the aircraft is grounded.", field="reason")
    with transaction.atomic():
        aircraft.status = Aircraft.Status.GROUNDED if grounded else Aircraft.Status.AVAILABLE
        aircraft.grounded_reason = reason if grounded else ""
        aircraft.save(update_fields=["status", "grounded_reason"])
        change_record(event="aircraft.status_changed", organization=actor.organization, actor=actor, target=aircraft,
                      audit_action="aircraft.grounded" if grounded else "aircraft.released",
                      summary=f"Grounded {aircraft.registration}: {reason}" if grounded else f"Released {aircraft.registration} for service",
                      payload=aircraft_payload(aircraft))
    return aircraft
