"""Add and edit aircraft, ground them and release them, retire them and reinstate them.

A registration stays taken while its aircraft is retired (the unique constraint holds for
the whole history): adding it again is refused with a message saying it can be reinstated,
so its bookings, flights and meters stay one aircraft's."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from clubs.changes import change_record
from clubs.models import Membership
from core.entry_points import system_entry_point
from core.errors import Conflict, Invalid
from core.text import require_plain_line
from dispatch import policy
from dispatch.models import Aircraft, Booking
from dispatch.models.fleet import REGISTRATION_KEY, normalize_registration, registration_key
from dispatch.events import aircraft_payload
from dispatch.services import checks, rules


@dataclass(frozen=True)
class AircraftInput:
    registration: str
    aircraft_type: str
    kind: str = Aircraft.Kind.AIRPLANE
    home_base: str = ""
    hourly_rate: Decimal = Decimal("0")
    has_wiflight_recorder: bool = True
    # The meters when the aircraft joins the fleet; read by aircraft_create only. Afterwards
    # check-ins move them (the floor of the next check-out), never an edit.
    hobbs: Decimal = Decimal("0")
    tach: Decimal = Decimal("0")


def _apply(aircraft: Aircraft, data: AircraftInput) -> None:
    # The registration is the tail sent to Wi-Flight; the type and base are shown everywhere.
    require_plain_line(data.registration, field="registration", label="A registration")
    require_plain_line(data.aircraft_type, field="aircraft_type", label="An aircraft type")
    require_plain_line(data.home_base, field="home_base", label="A home base")
    aircraft.registration = normalize_registration(data.registration)
    if not registration_key(aircraft.registration):
        raise Invalid("registration_required", "Give the registration.", field="registration")
    aircraft.aircraft_type = " ".join(data.aircraft_type.split())  # one spelling: the rules match types by it
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
    if taken is not None and taken.is_retired:
        raise Conflict("registration_taken", f"{taken.registration} is a retired aircraft of this club: reinstate it "
                       "from the fleet page instead of adding it again.", field="registration",
                       details={"aircraft_id": taken.pk, "retired": True})
    if taken is not None:
        raise Conflict("registration_taken", f"This club already has an aircraft registered {taken.registration}.",
                       field="registration", details={"aircraft_id": taken.pk})
    try:
        with transaction.atomic():
            aircraft.save()
    except IntegrityError as exc:
        raise _registration_taken(aircraft) from exc


def _starting_meter(name: str, field: str, reading: Decimal | None) -> Decimal:
    if reading is None or reading < 0:
        raise Invalid("meter_required", f"Give the starting {name} reading (0 or more).", field=field)
    return reading


def aircraft_create(*, actor: Membership, data: AircraftInput) -> Aircraft:
    policy.require_fleet_manager(actor, None, "add")
    with transaction.atomic():
        aircraft = Aircraft(organization=actor.organization)
        _apply(aircraft, data)
        aircraft.hobbs, aircraft.tach = _starting_meter("Hobbs", "hobbs", data.hobbs), _starting_meter("tach", "tach", data.tach)
        _save(aircraft)
        change_record(event="aircraft.added", organization=actor.organization, actor=actor, target=aircraft,
                      summary=f"Added {aircraft.registration} ({aircraft.aircraft_type})", audit_action="aircraft.created",
                      payload=aircraft_payload(aircraft))
    return aircraft


def aircraft_update(*, actor: Membership, aircraft: Aircraft, data: AircraftInput) -> Aircraft:
    policy.require_fleet_manager(actor, aircraft, "edit")
    rules.check_aircraft_in_service(aircraft, "edit")
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
    them at risk so a dispatcher can move them. A release is refused while maintenance holds
    the aircraft (an inspection overdue, a grounding squawk open): signing the inspection off
    or clearing the squawk releases it."""
    policy.require_status_setter(actor, aircraft)
    rules.check_aircraft_in_service(aircraft, "ground or release")
    reason = reason.strip()
    require_plain_line(reason, field="reason", label="The reason")
    if grounded and not reason:
        raise Invalid("reason_required", "Say why the aircraft is grounded.", field="reason")
    if len(reason) > 200:
        raise Invalid("reason_too_long", "Keep the reason under 200 characters.", field="reason")
    with transaction.atomic():
        locked = Aircraft.objects.select_for_update().get(pk=aircraft.pk)
        if not grounded:
            holds = checks.release_holds(locked)
            if holds:
                raise Conflict("maintenance_holds_aircraft",
                               f"{locked.registration} stays grounded: {'; '.join(holds)}.",
                               details={"holds": holds})
        _set_status(aircraft, grounded, reason, by_maintenance=False)
        change_record(event="aircraft.status_changed", organization=actor.organization, actor=actor, target=aircraft,
                      audit_action="aircraft.grounded" if grounded else "aircraft.released",
                      summary=f"Grounded {aircraft.registration}: {reason}" if grounded else f"Released {aircraft.registration} for service",
                      payload=aircraft_payload(aircraft))
    return aircraft


def _set_status(aircraft: Aircraft, grounded: bool, reason: str, *, by_maintenance: bool) -> None:
    was_grounded = aircraft.status == Aircraft.Status.GROUNDED
    aircraft.status = Aircraft.Status.GROUNDED if grounded else Aircraft.Status.AVAILABLE
    aircraft.grounded_reason = reason[:200] if grounded else ""
    aircraft.grounded_by_maintenance = grounded and by_maintenance
    if grounded and not was_grounded:
        aircraft.grounded_at = timezone.now()
    elif not grounded:
        aircraft.grounded_at = None
    Aircraft.objects.filter(pk=aircraft.pk).update(
        status=aircraft.status, grounded_reason=aircraft.grounded_reason, grounded_at=aircraft.grounded_at,
        grounded_by_maintenance=aircraft.grounded_by_maintenance)


@system_entry_point("maintenance grounds or releases an aircraft from its records; no member acts")
def aircraft_status_from_maintenance(*, aircraft: Aircraft, causes: list[str]) -> bool:
    """Maintenance's own grounding (system entry point, inside the caller's transaction):
    ground the aircraft while `causes` remain (the first one is the reason shown), release it
    when none remain and maintenance was what grounded it. A person's grounding is left as
    it is. Returns whether the status changed; a change passes the change path, so the
    `aircraft.status_changed` webhook and the board follow."""
    with transaction.atomic():
        locked = Aircraft.objects.select_for_update().get(pk=aircraft.pk)
        if locked.is_retired:
            return False
        reason = causes[0][:200] if causes else ""
        if causes and locked.is_grounded:
            if locked.grounded_by_maintenance and locked.grounded_reason != reason:
                # Still grounded, for another cause now: the reason shown follows, but the
                # status did not change, so no event (and no webhook) says it did.
                Aircraft.objects.filter(pk=locked.pk).update(grounded_reason=reason)
                aircraft.grounded_reason = reason
            return False
        if not causes and not (locked.is_grounded and locked.grounded_by_maintenance):
            return False
        _set_status(locked, bool(causes), reason, by_maintenance=True)
        aircraft.status, aircraft.grounded_reason = locked.status, locked.grounded_reason
        aircraft.grounded_at, aircraft.grounded_by_maintenance = locked.grounded_at, locked.grounded_by_maintenance
        change_record(event="aircraft.status_changed", organization=locked.organization, actor=None, target=locked,
                      audit_action="aircraft.grounded" if causes else "aircraft.released",
                      summary=(f"Grounded {locked.registration} by maintenance: {reason}" if causes
                               else f"Released {locked.registration}: maintenance cleared it"),
                      details={"causes": causes}, payload=aircraft_payload(locked))
    return True


def _bookings_in_the_way(aircraft: Aircraft) -> list[Booking]:
    """Bookings that still need the aircraft: checked out now, or booked for later."""
    return list(Booking.objects.filter(aircraft=aircraft).filter(
        status__in=(Booking.Status.BOOKED, Booking.Status.DISPATCHED)).exclude(
        status=Booking.Status.BOOKED, end__lte=timezone.now()).order_by("start")[:20])


def aircraft_retire(*, actor: Membership, aircraft: Aircraft, reason: str = "") -> Aircraft:
    """Take an aircraft out of the fleet, keeping its history: it leaves the board and the
    pickers, and rules.check_aircraft_bookable refuses it. Refused while it is checked out or
    has bookings still to fly: a person decides where those go, not this service."""
    policy.require_fleet_manager(actor, aircraft, "retire")
    reason = reason.strip()
    require_plain_line(reason, field="reason", label="The reason")
    if len(reason) > 200:
        raise Invalid("reason_too_long", "Keep the reason under 200 characters.", field="reason")
    with transaction.atomic():
        # The row lock makes a booking made at the same moment wait (check_aircraft_bookable
        # takes a share lock on the same row) and then see the aircraft retired, or be seen here.
        locked = Aircraft.objects.select_for_update().get(pk=aircraft.pk)
        if locked.is_retired:
            raise Conflict("aircraft_retired", f"{locked.registration} is already retired.", field="aircraft")
        waiting = _bookings_in_the_way(locked)
        out = next((b for b in waiting if b.status == Booking.Status.DISPATCHED), None)
        if out is not None:
            raise Conflict("aircraft_still_out", f"{locked.registration} is checked out; check it in before retiring it.",
                           details={"booking_id": out.pk})
        if waiting:
            tz = actor.organization.tz
            spans = "; ".join(rules.local_span(b.start, b.end, tz) for b in waiting[:5])
            more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
            raise Conflict("aircraft_has_bookings",
                           f"{locked.registration} still has bookings to fly: {spans}{more}. Move or cancel them first.",
                           details={"booking_ids": [b.pk for b in waiting]})
        aircraft.retired_at = timezone.now()
        Aircraft.objects.filter(pk=aircraft.pk).update(retired_at=aircraft.retired_at)
        change_record(event="aircraft.retired", organization=actor.organization, actor=actor, target=aircraft,
                      summary=f"Retired {aircraft.registration}" + (f": {reason}" if reason else ""),
                      details={"reason": reason} if reason else None, payload=aircraft_payload(aircraft))
    return aircraft


def aircraft_reinstate(*, actor: Membership, aircraft: Aircraft) -> Aircraft:
    """Bring a retired aircraft back into service, with its history and meters. Reinstating
    one in service does nothing."""
    policy.require_fleet_manager(actor, aircraft, "reinstate")
    with transaction.atomic():
        if not Aircraft.objects.filter(pk=aircraft.pk, retired_at__isnull=False).update(retired_at=None):
            aircraft.retired_at = None
            return aircraft
        aircraft.retired_at = None
        # Back in the fleet: the sync sends its reservations again, as for any other change.
        change_record(event="aircraft.changed", organization=actor.organization, actor=actor, target=aircraft,
                      summary=f"Reinstated {aircraft.registration}", audit_action="aircraft.reinstated",
                      payload=aircraft_payload(aircraft))
    return aircraft


def aircraft_meters_correct(*, actor: Membership, aircraft: Aircraft, hobbs: Decimal, tach: Decimal,
                            reason: str) -> Aircraft:
    """Set the meters by hand (a replaced or misread meter), with a reason, audited. Check-ins
    are what normally move them; this is the exception, said out loud."""
    policy.require_fleet_manager(actor, aircraft, "correct the meters of")
    reason = reason.strip()
    require_plain_line(reason, field="reason", label="The reason")
    if not reason:
        raise Invalid("reason_required", "Say why the meters are corrected.", field="reason")
    if len(reason) > 200:
        raise Invalid("reason_too_long", "Keep the reason under 200 characters.", field="reason")
    hobbs, tach = _starting_meter("Hobbs", "hobbs", hobbs), _starting_meter("tach", "tach", tach)
    with transaction.atomic():
        # Locked as check-out and check-in lock it: the meters are their floor.
        locked = Aircraft.objects.select_for_update().get(pk=aircraft.pk)
        out = Booking.objects.filter(aircraft=locked, status=Booking.Status.DISPATCHED).first()
        if out is not None:
            raise Conflict("aircraft_still_out", f"{locked.registration} is checked out; correct the meters at check-in.",
                           details={"booking_id": out.pk})
        before = {"hobbs": str(locked.hobbs), "tach": str(locked.tach)}
        aircraft.hobbs, aircraft.tach = hobbs, tach
        Aircraft.objects.filter(pk=aircraft.pk).update(hobbs=hobbs, tach=tach)
        # A change event (the maintenance meter chain records it); no webhook carries it.
        change_record(event="aircraft.meters_corrected", organization=actor.organization, actor=actor, target=aircraft,
                      summary=f"Corrected the meters of {aircraft.registration}: Hobbs "
                      f"{before['hobbs']} → {hobbs}, tach {before['tach']} → {tach} ({reason})",
                      details={"before": before, "after": {"hobbs": str(hobbs), "tach": str(tach)}, "reason": reason},
                      payload={**aircraft_payload(aircraft), "hobbs": str(hobbs), "tach": str(tach),
                               "hobbs_before": before["hobbs"], "tach_before": before["tach"], "reason": reason})
    return aircraft
