"""Set the club's booking rules; grant and revoke aircraft checkouts and solo endorsements.
Each write is audited through the change path (`booking_rules.changed`)."""

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from booking_rules.checks import CODES
from booking_rules.models import AircraftCheckout, BookingRules, Level, SoloEndorsement
from clubs.changes import change_record
from clubs.models import Membership
from clubs.policy import can, require_active, require_same_club
from core.errors import Conflict, Invalid, NotAllowed
from core.text import require_plain_line
from dispatch.models import Aircraft
from dispatch.policy import require_aircraft_in_club


@dataclass(frozen=True)
class RulesInput:
    licence: str = Level.OFF
    medical: str = Level.OFF
    flight_review: str = Level.OFF
    aircraft_checkout: str = Level.OFF
    recency: str = Level.OFF
    credit_limit: str = Level.OFF
    active_bookings: str = Level.OFF
    horizon: str = Level.OFF
    length: str = Level.OFF
    solo_endorsement: str = Level.OFF
    recency_days: int = 90
    max_active_bookings: int = 5
    horizon_days: int = 60
    max_length_hours: Decimal = Decimal("6")


def _payload(rules: BookingRules) -> dict:
    return {f.name: str(getattr(rules, f.name)) for f in fields(RulesInput)}


def booking_rules_update(*, actor: Membership, data: RulesInput) -> BookingRules:
    require_active(actor)
    if not can(actor, "manage_booking_rules"):
        raise NotAllowed("not_allowed", "Only club admins set the booking rules.")
    for rule in CODES:
        if getattr(data, rule) not in Level.values:
            raise Invalid("rule_level_unknown", "Each rule is off, warn or block.", field=rule)
    for name, low, high in (("recency_days", 1, 3650), ("max_active_bookings", 1, 500), ("horizon_days", 1, 3650)):
        value = getattr(data, name)
        if not isinstance(value, int) or not low <= value <= high:
            raise Invalid("rule_parameter_out_of_range", f"Give a whole number from {low} to {high}.", field=name)
    hours = data.max_length_hours
    if not isinstance(hours, Decimal) or not hours.is_finite() or not Decimal("0.5") <= hours <= Decimal("744") \
            or hours != hours.quantize(Decimal("0.1")):
        raise Invalid("rule_parameter_out_of_range", "Give the longest booking in hours, from 0.5 to 744, to a tenth.",
                      field="max_length_hours")
    with transaction.atomic():
        rules, _ = BookingRules.objects.select_for_update().get_or_create(organization=actor.organization)
        before = _payload(rules)
        for f in fields(RulesInput):
            setattr(rules, f.name, getattr(data, f.name))
        rules.save()
        after = _payload(rules)
        changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
        if changed:
            change_record(event="booking_rules.changed", organization=actor.organization, actor=actor, target=rules,
                          audit_action="booking_rules.updated",
                          summary="Changed the booking rules: " + ", ".join(f"{k} {v['to']}" for k, v in changed.items()),
                          details=changed, payload=after)
    return rules


def _require_granter(actor: Membership, member: Membership) -> None:
    require_active(actor)
    require_same_club(actor, member, "member")
    if not can(actor, "grant_checkouts"):
        raise NotAllowed("not_allowed", "Only instructors and admins grant checkouts and endorsements.")


def _require_endorser(actor: Membership, student: Membership) -> None:
    """Instructors endorse (and revoke) their own students; admins anyone's; nobody themselves."""
    _require_granter(actor, student)
    if student.pk == actor.pk:
        raise NotAllowed("own_endorsement", "You cannot endorse yourself.", field="student")
    if not actor.is_admin and student.instructor_id != actor.pk:
        raise NotAllowed("not_your_student", f"{student.user.display_name} is not your student.", field="student")


def _aircraft_type(value: str) -> str:
    """A type as the fleet spells it (one space between words), so the rules match it."""
    value = " ".join((value or "").split())
    require_plain_line(value, field="aircraft_type", label="An aircraft type")
    if len(value) > 60:
        raise Invalid("aircraft_type_too_long", "Keep the type under 60 characters.", field="aircraft_type")
    return value


def _note(note: str) -> str:
    note = (note or "").strip()
    require_plain_line(note, field="note", label="A note")
    if len(note) > 200:
        raise Invalid("reason_too_long", "Keep the note under 200 characters.", field="note")
    return note


def checkout_grant(*, actor: Membership, member: Membership, aircraft: Aircraft | None = None, aircraft_type: str = "",
                   note: str = "") -> AircraftCheckout:
    """`member` may fly `aircraft` (or every aircraft of `aircraft_type`) in command. Nobody
    but an admin checks themselves out."""
    _require_granter(actor, member)
    if actor.pk == member.pk and not actor.is_admin:
        raise NotAllowed("own_checkout", "Another instructor or an admin checks you out.", field="member")
    aircraft_type = _aircraft_type(aircraft_type)
    if (aircraft is None) == (not aircraft_type):
        raise Invalid("checkout_target_required", "Give an aircraft or a type, not both.", field="aircraft")
    if aircraft is not None:
        require_aircraft_in_club(actor, aircraft)
    note = _note(note)
    with transaction.atomic():
        Membership.objects.select_for_update().filter(pk=member.pk).values_list("pk").first()
        held = AircraftCheckout.objects.filter(membership=member, revoked_at__isnull=True)
        held = held.filter(aircraft=aircraft) if aircraft is not None else held.filter(aircraft_type__iexact=aircraft_type)
        if held.exists():
            raise Conflict("checkout_exists", f"{member.user.display_name} is already checked out on that.",
                           field="aircraft")
        checkout = AircraftCheckout.objects.create(
            organization=actor.organization, membership=member, aircraft=aircraft, aircraft_type=aircraft_type,
            granted_by=actor.user, granted_on=timezone.localdate(timezone=actor.organization.tz), note=note)
        what = aircraft.registration if aircraft is not None else aircraft_type
        change_record(event="booking_rules.changed", organization=actor.organization, actor=actor, target=member,
                      audit_action="checkout.granted", summary=f"Checked out {member.user.display_name} on {what}",
                      details={"checkout_id": checkout.pk, "note": note},
                      payload={"membership_id": member.pk, "checkout_id": checkout.pk})
    return checkout


def checkout_revoke(*, actor: Membership, checkout: AircraftCheckout, note: str = "") -> AircraftCheckout:
    _require_granter(actor, checkout.membership)
    note = _note(note)
    with transaction.atomic():
        if not AircraftCheckout.objects.filter(pk=checkout.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
            raise Conflict("checkout_revoked", "This checkout was already revoked.")
        checkout.refresh_from_db()
        what = checkout.aircraft.registration if checkout.aircraft_id else checkout.aircraft_type
        change_record(event="booking_rules.changed", organization=actor.organization, actor=actor,
                      target=checkout.membership, audit_action="checkout.revoked",
                      summary=f"Revoked the checkout of {checkout.membership.user.display_name} on {what}"
                      + (f": {note}" if note else ""),
                      details={"checkout_id": checkout.pk, "note": note},
                      payload={"membership_id": checkout.membership_id, "checkout_id": checkout.pk})
    return checkout


def endorsement_grant(*, actor: Membership, student: Membership, expires_on: date, aircraft_type: str = "",
                      note: str = "") -> SoloEndorsement:
    """An instructor endorses `student` to fly solo until `expires_on` (on one type, if given).
    Instructors endorse their own students; admins anyone's."""
    _require_endorser(actor, student)
    if student.instructor_id is None:
        raise Invalid("not_a_student", f"{student.user.display_name} has no instructor and is not a student.",
                      field="student")
    today = timezone.localdate(timezone=actor.organization.tz)
    if expires_on is None or expires_on < today or (expires_on - today).days > 366:
        raise Invalid("endorsement_expiry_invalid", "Give an expiry date from today to a year ahead.",
                      field="expires_on")
    aircraft_type = _aircraft_type(aircraft_type)
    note = _note(note)
    instructor = actor if actor.is_instructor else student.instructor
    with transaction.atomic():
        endorsement = SoloEndorsement.objects.create(
            organization=actor.organization, membership=student, instructor=instructor, aircraft_type=aircraft_type,
            granted_on=today, expires_on=expires_on, note=note)
        change_record(event="booking_rules.changed", organization=actor.organization, actor=actor, target=student,
                      audit_action="endorsement.granted",
                      summary=f"Endorsed {student.user.display_name} for solo until {expires_on:%d %b %Y}"
                      + (f" on {aircraft_type}" if aircraft_type else ""),
                      details={"endorsement_id": endorsement.pk, "note": note},
                      payload={"membership_id": student.pk, "endorsement_id": endorsement.pk})
    return endorsement


def endorsement_revoke(*, actor: Membership, endorsement: SoloEndorsement, note: str = "") -> SoloEndorsement:
    """As for granting: the student's own instructor, or an admin."""
    _require_endorser(actor, endorsement.membership)
    note = _note(note)
    with transaction.atomic():
        if not SoloEndorsement.objects.filter(pk=endorsement.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
            raise Conflict("endorsement_revoked", "This endorsement was already revoked.")
        endorsement.refresh_from_db()
        change_record(event="booking_rules.changed", organization=actor.organization, actor=actor,
                      target=endorsement.membership, audit_action="endorsement.revoked",
                      summary=f"Revoked the solo endorsement of {endorsement.membership.user.display_name}"
                      + (f": {note}" if note else ""),
                      details={"endorsement_id": endorsement.pk, "note": note},
                      payload={"membership_id": endorsement.membership_id, "endorsement_id": endorsement.pk})
    return endorsement
