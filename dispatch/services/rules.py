"""Booking rules shared by create, update and dispatch: overlaps, grounded aircraft, crew."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from dispatch.models import Aircraft, Booking, BookingCrew
from clubs.models import Membership

CrewList = list[tuple[Membership, str]]

# The longest booking we accept. Besides catching typos (a year instead of a day), it bounds
# how far back a booking overlapping a window can start, so the board's query can use the
# (organization, start) index from both ends instead of scanning the club's whole history.
MAX_BOOKING = timedelta(days=31)


def local_span(start: datetime, end: datetime, tz) -> str:
    start_l, end_l = timezone.localtime(start, tz), timezone.localtime(end, tz)
    if start_l.date() == end_l.date():
        return f"{start_l:%a %d %b %H:%M}–{end_l:%H:%M}"
    return f"{start_l:%a %d %b %H:%M} – {end_l:%a %d %b %H:%M}"


def check_period(start: datetime, end: datetime) -> None:
    if start is None or end is None:
        raise ValidationError("Give a start and an end time.")
    if end <= start:
        raise ValidationError("The end must be after the start.")
    if end - start > MAX_BOOKING:
        raise ValidationError(f"A booking can last at most {MAX_BOOKING.days} days.")


def check_aircraft_bookable(aircraft: Aircraft) -> None:
    if aircraft.is_grounded:
        raise ValidationError(f"{aircraft.registration} is grounded: {aircraft.grounded_reason}")


def aircraft_conflict(aircraft: Aircraft, start: datetime, end: datetime, exclude: Booking | None = None) -> Booking | None:
    """The first active booking of `aircraft` overlapping [start, end). Back-to-back is fine."""
    overlapping = Booking.objects.filter(aircraft=aircraft, start__lt=end, end__gt=start).exclude(
        status=Booking.Status.CANCELLED
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    return overlapping.order_by("start").first()


def check_aircraft_free(aircraft: Aircraft, start: datetime, end: datetime, exclude: Booking | None = None) -> None:
    conflict = aircraft_conflict(aircraft, start, end, exclude)
    if conflict is not None:
        tz = aircraft.organization.tz
        raise ValidationError(
            f"{aircraft.registration} is already booked {local_span(conflict.start, conflict.end, tz)}."
        )


def check_crew(crew: CrewList, start: datetime, end: datetime, exclude: Booking | None = None) -> None:
    if not crew:
        raise ValidationError("A booking needs at least one crew member.")
    seen: set[int] = set()
    for membership, role in crew:
        if membership.pk in seen:
            raise ValidationError(f"{membership.user.display_name} appears twice in the crew.")
        seen.add(membership.pk)
        if role not in BookingCrew.Role.values:
            raise ValidationError(f"Unknown crew role {role!r}.")
        if not membership.is_active:
            raise ValidationError(f"{membership.user.display_name} is not an active member and cannot be booked.")
    if sum(1 for _, role in crew if role == BookingCrew.Role.PIC) > 1:
        raise ValidationError("A booking has one pilot in command.")
    busy = (
        BookingCrew.objects.filter(membership_id__in=seen, booking__start__lt=end, booking__end__gt=start)
        .exclude(booking__status=Booking.Status.CANCELLED)
        .select_related("booking__aircraft", "membership__user", "membership__organization")
    )
    if exclude is not None:
        busy = busy.exclude(booking=exclude)
    clash = busy.order_by("booking__start").first()
    if clash is not None:
        tz = clash.membership.organization.tz
        raise ValidationError(
            f"{clash.membership.user.display_name} is already booked on {clash.booking.aircraft.registration} "
            f"{local_span(clash.booking.start, clash.booking.end, tz)}."
        )


def check_actor_may_book(actor: Membership, crew: CrewList) -> None:
    """Dispatchers and admins book anyone; pilots book themselves; instructors themselves and
    their students. Passengers are not restricted."""
    if actor.can_manage_all_bookings:
        return
    if not actor.can_book:
        raise ValidationError("Your role does not allow booking aircraft.")
    if actor.pk not in {m.pk for m, _ in crew}:
        raise ValidationError("You can only book flights you are on.")
    allowed = {actor.pk}
    if actor.is_instructor:
        allowed |= set(actor.students.values_list("pk", flat=True))
    if actor.instructor_id:  # a student books lessons with their own instructor
        allowed.add(actor.instructor_id)
    for membership, role in crew:
        if role != BookingCrew.Role.PASSENGER and membership.pk not in allowed:
            whom = "yourself and your students" if actor.is_instructor else "yourself"
            raise ValidationError(f"You can book flights only for {whom}; ask a dispatcher to book {membership.user.display_name}.")


def actor_may_change(actor: Membership, booking: Booking) -> bool:
    if actor.can_manage_all_bookings:
        return True
    if not actor.can_book:
        return False
    crew = list(booking.crew.all())
    if actor.pk in {c.membership_id for c in crew} or booking.created_by_id == actor.user_id:
        return True
    # An instructor manages their students' flights, not flights a student merely rides along on.
    flying = {c.membership_id for c in crew if c.role != BookingCrew.Role.PASSENGER}
    return actor.is_instructor and actor.students.filter(pk__in=flying).exists()
