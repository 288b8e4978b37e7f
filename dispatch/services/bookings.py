"""Create, change and cancel bookings.

Race safety: on PostgreSQL the exclusion constraint `booking_aircraft_no_overlap` is the
guarantee that one aircraft is never booked twice, and crew members' rows are locked (in id
order, so two writers cannot deadlock) before their overlap check so the crew rule holds too.
On SQLite every transaction takes the write lock when it starts (transaction_mode=IMMEDIATE),
so check-then-insert cannot interleave.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from clubs.models import Membership
from core.errors import Conflict, Invalid, Refusal
from core.text import require_plain_line
from dispatch import policy
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services import checks, rules
from dispatch.services.hooks import booking_changed


@dataclass(frozen=True)
class BookingInput:
    aircraft: Aircraft
    start: datetime
    end: datetime
    crew: list[tuple[Membership, str]]
    purpose: str = Booking.Purpose.RENTAL
    notes: str = ""
    # Given by a dispatcher or an admin to book despite a rule set to block (audited).
    override_reason: str = ""


def _lock_crew(crew) -> None:
    ids = sorted(m.pk for m, _ in crew)
    list(Membership.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _check_input(actor: Membership, data: BookingInput, booking: Booking | None = None) -> None:
    """Everything that needs no lock: whose objects, who may, what was asked."""
    policy.require_aircraft_in_club(actor, data.aircraft)
    seated = set() if booking is None else set(
        booking.crew.filter(role=BookingCrew.Role.PASSENGER).values_list("membership_id", flat=True))
    policy.check_may_book(actor, data.crew, seated)
    if data.purpose not in Booking.Purpose.values:
        raise Invalid("purpose_unknown", "Unknown purpose.", field="purpose")
    rules.check_period(data.start, data.end)


def _validate(data: BookingInput, exclude: Booking | None) -> None:
    _lock_crew(data.crew)
    rules.check_crew(data.crew, data.start, data.end, exclude,
                     passengers_block=data.aircraft.organization.passengers_block_bookings)
    rules.check_aircraft_free(data.aircraft, data.start, data.end, exclude)


def _club_rules(actor: Membership, data: BookingInput, booking: Booking | None) -> tuple[checks.BookingFacts, list | None]:
    """The club's own booking rules (booking_rules registers them): after the locks, so a
    count of active bookings cannot race. A change is checked only when it moves what the
    rules look at (the aircraft, the times, the crew) or brings an override: a lapsed medical
    must not stop a dispatcher from correcting a booking's notes, and what the booking kept
    (an override at booking, the findings at check-out) stays as it was. None: not checked."""
    facts = checks.BookingFacts(stage=checks.BOOKING, organization=actor.organization, actor=actor,
                                aircraft=data.aircraft, start=data.start, end=data.end, crew=data.crew, booking=booking)
    material = booking is None or (
        data.aircraft.pk != booking.aircraft_id or data.start != booking.start or data.end != booking.end
        or sorted((m.pk, role) for m, role in data.crew)
        != sorted(booking.crew.values_list("membership_id", "role")))
    if not material and not data.override_reason.strip():
        return facts, None
    return facts, checks.enforce(facts, data.override_reason)


def _conflict_error(data: BookingInput, exclude: Booking | None) -> Refusal:
    """Turn the exclusion constraint firing (someone else won the race) into the message a
    dispatcher would have seen had they been a moment later."""
    try:
        rules.check_aircraft_free(data.aircraft, data.start, data.end, exclude)
    except Refusal as exc:
        return exc
    return Conflict("schedule_changed", "Someone else changed the schedule at the same moment. Please try again.")


def _save_crew(booking: Booking, crew) -> None:
    BookingCrew.objects.bulk_create(BookingCrew(booking=booking, membership=m, role=role) for m, role in crew)


def booking_create(*, actor: Membership, data: BookingInput) -> Booking:
    _check_input(actor, data)
    try:
        with transaction.atomic():
            rules.check_aircraft_bookable(data.aircraft)
            _validate(data, exclude=None)
            facts, kept = _club_rules(actor, data, None)
            booking = Booking.objects.create(
                organization_id=actor.organization_id, aircraft=data.aircraft, start=data.start, end=data.end,
                purpose=data.purpose, notes=data.notes, created_by=actor.user, rule_findings=checks.stored(kept),
            )
            _save_crew(booking, data.crew)
            checks.audit_override(facts, booking, kept, data.override_reason)
            booking_changed(booking=booking, actor=actor, action="booking.created",
                            summary=f"Booked {data.aircraft.registration} {rules.local_span(data.start, data.end, actor.organization.tz)}")
    except IntegrityError as exc:
        raise _conflict_error(data, None) from exc
    return booking


def booking_update(*, actor: Membership, booking: Booking, data: BookingInput) -> Booking:
    policy.require_booking_change(actor, booking)
    if booking.status not in (Booking.Status.BOOKED, Booking.Status.DISPATCHED):
        raise Conflict("booking_state", f"A {booking.get_status_display().lower()} booking cannot be changed.")
    _check_input(actor, data, booking)
    if booking.status == Booking.Status.DISPATCHED and data.aircraft.pk != booking.aircraft_id:
        raise Conflict("booking_state", "The aircraft of a dispatched booking cannot be changed; check it in first.",
                       field="aircraft")
    try:
        with transaction.atomic():
            if data.aircraft.pk != booking.aircraft_id:
                rules.check_aircraft_bookable(data.aircraft)
            else:
                # Staying on a grounded aircraft is allowed (the booking is marked at risk);
                # on a retired one it is not: it would vanish from the board.
                rules.check_aircraft_not_retired(data.aircraft)
            _validate(data, exclude=booking)
            facts, kept = _club_rules(actor, data, booking)
            findings = (booking.rule_findings if kept is None
                        else checks.stored(kept, checks.BOOKING, booking.rule_findings))
            updated = Booking.objects.filter(pk=booking.pk, status=booking.status).update(
                aircraft=data.aircraft, start=data.start, end=data.end, purpose=data.purpose,
                notes=data.notes, updated_at=timezone.now(), rule_findings=findings,
            )
            if updated != 1:
                raise Conflict("booking_stale", "This booking was changed by someone else. Reload and try again.")
            booking.crew.all().delete()
            _save_crew(booking, data.crew)
            checks.audit_override(facts, booking, kept or [], data.override_reason)
            booking.refresh_from_db()
            booking_changed(booking=booking, actor=actor, action="booking.changed",
                            summary=f"Changed booking of {data.aircraft.registration} to {rules.local_span(data.start, data.end, actor.organization.tz)}")
    except IntegrityError as exc:
        raise _conflict_error(data, booking) from exc
    return booking


def booking_cancel(*, actor: Membership, booking: Booking, reason: str = "") -> Booking:
    policy.require_booking_change(actor, booking, verb="cancel")
    reason = reason.strip()
    require_plain_line(reason, field="reason", label="The reason")
    if len(reason) > 200:
        raise Invalid("reason_too_long", "Keep the reason under 200 characters.", field="reason")
    with transaction.atomic():
        # Conditional UPDATE: a booking checked out a moment ago must not be cancelled under
        # the dispatcher's feet.
        cancelled = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CANCELLED, cancelled_at=timezone.now(), updated_at=timezone.now(),
            cancel_reason=reason,
        )
        if cancelled != 1:
            booking.refresh_from_db()
            raise Conflict("booking_state", f"A {booking.get_status_display().lower()} booking cannot be cancelled.")
        booking.refresh_from_db()
        booking_changed(booking=booking, actor=actor, action="booking.cancelled",
                        summary=f"Cancelled booking of {booking.aircraft.registration} {rules.local_span(booking.start, booking.end, actor.organization.tz)}"
                        + (f": {reason}" if reason else ""))
    return booking
