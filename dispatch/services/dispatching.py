"""Check aircraft out and in, and walk-up dispatch (no booking beforehand).

The aircraft row is locked while its meters are compared and moved, so two dispatchers
checking the same aircraft in and out at once cannot both read the old meter.
"""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clubs.models import Membership
from core.errors import Conflict, Invalid
from core.text import require_plain_text
from dispatch import policy
from dispatch.models import Aircraft, Booking, BookingCrew, Dispatch, SquawkSeverity
from dispatch.services import checks, rules
from dispatch.services.bookings import BookingInput, booking_create
from dispatch.services.hooks import booking_changed


def _check_meter(name: str, field: str, reading: Decimal, floor: Decimal, correction_reason: str) -> bool:
    """True when the reading runs backwards but a correction reason was given."""
    if reading is None or reading < 0:
        raise Invalid("meter_required", f"Give the {name} reading.", field=field)
    if reading >= floor:
        return False
    if not correction_reason.strip():
        raise Invalid(
            "meter_backwards",
            f"{name} out {reading} is below the last check-in reading {floor}. If the meter was "
            "replaced or misread, give a correction reason.", field=field,
        )
    return True


def _check_meter_in(name: str, field: str, reading: Decimal, out: Decimal) -> None:
    if reading is None or reading < 0:
        raise Invalid("meter_required", f"Give the {name} reading.", field=field)
    if reading < out:
        raise Invalid("meter_backwards", f"{name} in must be at least {name} out ({out}).", field=field)


def _check_crew_active(booking: Booking) -> None:
    for c in BookingCrew.objects.filter(booking=booking).select_related("membership__user"):
        if not c.membership.is_active:
            raise rules.member_inactive(c.membership, at_check_out=True)


def _club_rules_at_check_out(actor: Membership, booking: Booking, aircraft: Aircraft,
                             override_reason: str) -> tuple[checks.BookingFacts, list]:
    """The club's booking rules again, as of now: a medical may have lapsed since booking."""
    crew = [(c.membership, c.role) for c in BookingCrew.objects.filter(booking=booking)
            .select_related("membership__user", "membership__organization")]
    facts = checks.BookingFacts(stage=checks.CHECK_OUT, organization=actor.organization, actor=actor,
                                aircraft=aircraft, start=booking.start, end=booking.end, crew=crew, booking=booking)
    return facts, checks.enforce(facts, override_reason)


def booking_check_out(*, actor: Membership, booking: Booking, hobbs_out: Decimal, tach_out: Decimal,
                      at: datetime | None = None, correction_reason: str = "", override_reason: str = "") -> Booking:
    policy.require_dispatch(actor, booking)
    with transaction.atomic():
        aircraft = Aircraft.objects.select_for_update().get(pk=booking.aircraft_id)
        rules.check_aircraft_bookable(aircraft)
        _check_crew_active(booking)
        facts, kept = _club_rules_at_check_out(actor, booking, aircraft, override_reason)
        still_out = Booking.objects.filter(aircraft=aircraft, status=Booking.Status.DISPATCHED).exclude(pk=booking.pk).first()
        if still_out is not None:
            raise Conflict("aircraft_still_out", f"{aircraft.registration} is still checked out; check it in first.",
                           details={"booking_id": still_out.pk})
        corrected = _check_meter("Hobbs", "hobbs_out", hobbs_out, aircraft.hobbs, correction_reason)
        corrected |= _check_meter("Tach", "tach_out", tach_out, aircraft.tach, correction_reason)
        moved = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.DISPATCHED, updated_at=timezone.now(),
            rule_findings=checks.stored(kept, checks.CHECK_OUT, booking.rule_findings),
        )
        if moved != 1:
            booking.refresh_from_db()
            raise Conflict("booking_state", f"A {booking.get_status_display().lower()} booking cannot be checked out.")
        Dispatch.objects.create(
            booking=booking, checked_out_at=at or timezone.now(), checked_out_by=actor.user,
            hobbs_out=hobbs_out, tach_out=tach_out, correction_reason=correction_reason.strip() if corrected else "",
        )
        booking.refresh_from_db()
        checks.audit_override(facts, booking, kept, override_reason)
        details = {"hobbs_out": str(hobbs_out), "tach_out": str(tach_out)}
        if corrected:
            details.update(correction_reason=correction_reason.strip(), hobbs_before=str(aircraft.hobbs),
                           tach_before=str(aircraft.tach))
        booking_changed(booking=booking, actor=actor, action="booking.dispatched",
                        summary=f"Checked out {aircraft.registration} (Hobbs {hobbs_out}, tach {tach_out})"
                        + (" with a meter correction" if corrected else ""), details=details)
    return booking


def _check_fuel_and_ground(fuel_cost: Decimal, ground_hours: Decimal) -> None:
    if fuel_cost is None or fuel_cost < 0 or fuel_cost >= Decimal("1000000"):
        raise Invalid("fuel_cost_out_of_range", "Give the fuel bought as an amount of money, 0 or more.",
                      field="fuel_cost")
    if ground_hours is None or not 0 <= ground_hours <= 24:
        raise Invalid("ground_hours_out_of_range", "Give the ground instruction in hours, from 0 to 24.",
                      field="ground_hours")


def booking_check_in(*, actor: Membership, booking: Booking, hobbs_in: Decimal, tach_in: Decimal,
                     at: datetime | None = None, squawks: str = "", fuel_cost: Decimal = Decimal("0"),
                     ground_hours: Decimal = Decimal("0"), squawk_severity: str = SquawkSeverity.MINOR) -> Booking:
    """A squawk written here becomes the maintenance app's (booking.completed carries it); a
    grounding one grounds the aircraft in the same transaction."""
    policy.require_dispatch(actor, booking)
    _check_fuel_and_ground(fuel_cost, ground_hours)
    if squawk_severity not in SquawkSeverity.values:
        raise Invalid("squawk_severity_unknown", "Choose how bad the squawk is: minor, deferred or grounding.",
                      field="squawk_severity")
    require_plain_text(squawks or "", field="squawks", label="The squawks")
    if len(squawks or "") > 2000:
        raise Invalid("squawk_too_long", "Keep the squawk under 2000 characters.", field="squawks")
    if squawk_severity != SquawkSeverity.MINOR and not (squawks or "").strip():
        raise Invalid("squawk_required", "Say what is wrong with the aircraft: a deferred or grounding squawk "
                      "needs its description.", field="squawks")
    with transaction.atomic():
        aircraft = Aircraft.objects.select_for_update().get(pk=booking.aircraft_id)
        record = Dispatch.objects.select_for_update().filter(booking=booking).first()
        if record is None or booking.status != Booking.Status.DISPATCHED:
            raise Conflict("booking_state", "Only a checked-out booking can be checked in.")
        _check_meter_in("Hobbs", "hobbs_in", hobbs_in, record.hobbs_out)
        _check_meter_in("Tach", "tach_in", tach_in, record.tach_out)
        moved = Booking.objects.filter(pk=booking.pk, status=Booking.Status.DISPATCHED).update(
            status=Booking.Status.COMPLETED, updated_at=timezone.now()
        )
        if moved != 1:
            booking.refresh_from_db()
            raise Conflict("booking_state", f"A {booking.get_status_display().lower()} booking cannot be checked in.")
        record.checked_in_at, record.checked_in_by = at or timezone.now(), actor.user
        record.hobbs_in, record.tach_in, record.squawks = hobbs_in, tach_in, squawks.strip()
        record.squawk_severity = squawk_severity if record.squawks else SquawkSeverity.MINOR
        record.fuel_cost, record.ground_hours = fuel_cost, ground_hours
        record.save()
        aircraft.hobbs, aircraft.tach = hobbs_in, tach_in
        aircraft.save(update_fields=["hobbs", "tach"])
        booking.refresh_from_db()
        booking_changed(booking=booking, actor=actor, action="booking.completed",
                        summary=f"Checked in {aircraft.registration}: {record.hobbs_hours} h Hobbs, {record.tach_hours} h tach"
                        + ("; squawks reported" if record.squawks else ""),
                        details={"hobbs_in": str(hobbs_in), "tach_in": str(tach_in), "squawks": record.squawks,
                                 "squawk_severity": record.squawk_severity,
                                 "fuel_cost": str(fuel_cost), "ground_hours": str(ground_hours)})
    return booking


def booking_check_in_correct(*, actor: Membership, booking: Booking, hobbs_in: Decimal, tach_in: Decimal,
                             fuel_cost: Decimal, ground_hours: Decimal, reason: str) -> Booking:
    """A dispatcher or an admin corrects a checked-in booking's record (a misread meter, a
    forgotten fuel receipt). Audited with the reason; billing follows (the draft line is
    replaced, an issued one credited). The aircraft's meters move only when this was its
    last check-in, so a later flight's floor is not pulled from under it."""
    policy.require_check_in_corrector(actor, booking)
    _check_fuel_and_ground(fuel_cost, ground_hours)
    if not reason.strip():
        raise Invalid("reason_required", "Say why the check-in is corrected.", field="reason")
    if len(reason.strip()) > 300:
        raise Invalid("reason_too_long", "Keep the reason under 300 characters.", field="reason")
    with transaction.atomic():
        aircraft = Aircraft.objects.select_for_update().get(pk=booking.aircraft_id)
        record = Dispatch.objects.select_for_update().filter(booking=booking).first()
        booking.refresh_from_db()
        if record is None or booking.status != Booking.Status.COMPLETED:
            raise Conflict("booking_state", "Only a checked-in booking's record can be corrected.")
        _check_meter_in("Hobbs", "hobbs_in", hobbs_in, record.hobbs_out)
        _check_meter_in("Tach", "tach_in", tach_in, record.tach_out)
        before = {"hobbs_in": str(record.hobbs_in), "tach_in": str(record.tach_in),
                  "fuel_cost": str(record.fuel_cost), "ground_hours": str(record.ground_hours)}
        was_last = aircraft.hobbs == record.hobbs_in and aircraft.tach == record.tach_in and not (
            Dispatch.objects.filter(booking__aircraft=aircraft, checked_out_at__gt=record.checked_out_at).exists())
        record.hobbs_in, record.tach_in, record.fuel_cost, record.ground_hours = hobbs_in, tach_in, fuel_cost, ground_hours
        record.correction_reason = reason.strip()
        record.save()
        if was_last:
            aircraft.hobbs, aircraft.tach = hobbs_in, tach_in
            aircraft.save(update_fields=["hobbs", "tach"])
        after = {"hobbs_in": str(hobbs_in), "tach_in": str(tach_in), "fuel_cost": str(fuel_cost),
                 "ground_hours": str(ground_hours)}
        if after != before:
            booking_changed(booking=booking, actor=actor, action="booking.check_in_corrected",
                            summary=f"Corrected the check-in of {aircraft.registration}: {reason.strip()}",
                            details={"before": before, "after": after, "reason": reason.strip()})
    return booking


def walkup_dispatch(*, actor: Membership, data: BookingInput, hobbs_out: Decimal, tach_out: Decimal,
                    correction_reason: str = "") -> Booking:
    """Book from now until the expected return and check out in one step: the aircraft is
    either booked and out, or neither. `data.start` is ignored: a walk-up starts now. The
    override reason in `data` covers both the booking and its check-out."""
    policy.require_aircraft_in_club(actor, data.aircraft)
    policy.require_dispatch(actor)
    data = replace(data, start=timezone.now().replace(second=0, microsecond=0))
    with transaction.atomic():
        booking = booking_create(actor=actor, data=data)
        return booking_check_out(actor=actor, booking=booking, hobbs_out=hobbs_out, tach_out=tach_out,
                                 correction_reason=correction_reason, override_reason=data.override_reason)
