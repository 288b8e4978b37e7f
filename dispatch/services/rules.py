"""Booking rules shared by create, update and dispatch: periods, overlaps, grounded aircraft,
crew. Each refusal is written here once, with its code (docs/errors.md)."""

from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from clubs.models import Membership
from core.errors import Conflict, Invalid
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services import checks

CrewList = list[tuple[Membership, str]]

# The longest booking we accept. Besides catching typos (a year instead of a day), it bounds
# how far back a booking overlapping a window can start, so the board's query can use the
# (organization, start) index from both ends instead of scanning the club's whole history.
MAX_BOOKING = timedelta(days=31)
# Every booking time lies in these years: far enough for any real schedule, near enough that
# date arithmetic (the board's window, an hour added to a start) never overflows.
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2100, 12, 31)
TIME_OUT_OF_RANGE = f"Give a date between {EARLIEST_DAY.year} and {LATEST_DAY.year}."


def local_span(start: datetime, end: datetime, tz) -> str:
    start_l, end_l = timezone.localtime(start, tz), timezone.localtime(end, tz)
    if start_l.date() == end_l.date():
        return f"{start_l:%a %d %b %H:%M}–{end_l:%H:%M}"
    return f"{start_l:%a %d %b %H:%M} – {end_l:%a %d %b %H:%M}"


def in_time_range(moment: datetime) -> bool:
    return EARLIEST_DAY <= moment.date() <= LATEST_DAY


def check_times(start: datetime | None, end: datetime | None) -> None:
    """Both given, within the years the club's data may use, the end after the start."""
    if start is None or end is None:
        raise Invalid("period_required", "Give a start and an end time.", field="start" if start is None else "end")
    for name, moment in (("start", start), ("end", end)):
        if not in_time_range(moment):
            raise Invalid("time_out_of_range", TIME_OUT_OF_RANGE, field=name)
    if end <= start:
        raise Invalid("period_invalid", "The end must be after the start.", field="end")


def check_period(start: datetime, end: datetime) -> None:
    """A booking's times: check_times, and no longer than MAX_BOOKING."""
    check_times(start, end)
    if end - start > MAX_BOOKING:
        raise Invalid("booking_too_long", f"A booking can last at most {MAX_BOOKING.days} days.", field="end")


def _retired_at_now(aircraft: Aircraft) -> datetime | None:
    """The aircraft's retirement as committed, not as the caller loaded it. Inside a
    transaction on PostgreSQL the row is share-locked, so aircraft_retire (which locks it for
    update) either waits for this booking and then sees it, or retires first and is seen here.
    On SQLite the IMMEDIATE transaction already serializes writers."""
    if aircraft.pk is None:
        return aircraft.retired_at
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT retired_at FROM {Aircraft._meta.db_table} WHERE id = %s FOR SHARE", [aircraft.pk])
            row = cursor.fetchone()
    else:
        row = Aircraft.objects.filter(pk=aircraft.pk).values_list("retired_at").first()
    return row[0] if row else aircraft.retired_at


def check_aircraft_not_retired(aircraft: Aircraft) -> None:
    aircraft.retired_at = _retired_at_now(aircraft)
    if aircraft.is_retired:
        raise Conflict("aircraft_retired", f"{aircraft.registration} is retired and can no longer be booked.",
                       field="aircraft")


def check_aircraft_in_service(aircraft: Aircraft, verb: str) -> None:
    """A retired aircraft is history: reinstate it before changing anything of it."""
    if Aircraft.objects.filter(pk=aircraft.pk, retired_at__isnull=False).exists():
        raise Conflict("aircraft_retired", f"{aircraft.registration} is retired: reinstate it to {verb} it.",
                       field="aircraft")


def check_aircraft_bookable(aircraft: Aircraft) -> None:
    """Not retired, not grounded, and nothing holding it on the ground that its status does
    not show yet (an annual fallen overdue at midnight, before maintenance's hourly look)."""
    check_aircraft_not_retired(aircraft)
    if aircraft.is_grounded:
        raise Conflict("aircraft_grounded", f"{aircraft.registration} is grounded: {aircraft.grounded_reason}",
                       field="aircraft")
    holds = checks.release_holds(aircraft)
    if holds:
        raise Conflict("aircraft_grounded", f"{aircraft.registration} is grounded: {holds[0]}.", field="aircraft",
                       details={"holds": holds})


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
        raise Conflict("booking_conflict",
                       f"{aircraft.registration} is already booked {local_span(conflict.start, conflict.end, tz)}.",
                       details={"booking_id": conflict.pk})


def member_inactive(membership: Membership, *, at_check_out: bool = False) -> Conflict:
    name = membership.user.display_name
    message = (f"{name} is no longer an active member; take them off the crew before checking out." if at_check_out
               else f"{name} is not an active member and cannot be booked.")
    return Conflict("member_inactive", message, field="crew", details={"membership_id": membership.pk})


def check_crew_role(membership: Membership, role: str) -> None:
    if role not in BookingCrew.Role.values:
        raise Invalid("crew_role_unknown", f"Unknown crew role {role!r}.", field="crew")
    name = membership.user.display_name
    if role == BookingCrew.Role.PIC and not (membership.is_pilot or membership.is_instructor):
        raise Invalid("pic_not_pilot", f"{name} does not hold the pilot or instructor role and cannot be pilot in command.",
                      field="pic")
    if role == BookingCrew.Role.INSTRUCTOR and not membership.is_instructor:
        raise Invalid("not_an_instructor", f"{name} does not hold the instructor role.", field="instructor")
    if role == BookingCrew.Role.STUDENT and membership.instructor_id is None:
        raise Invalid("not_a_student", f"{name} has no instructor and cannot fly as a student.", field="student")


def check_crew(crew: CrewList, start: datetime, end: datetime, exclude: Booking | None = None, *,
               passengers_block: bool = False) -> None:
    """The crew's own rules: roles, active members, one PIC, nobody in two places at once.
    A passenger seat counts as a place only when the club says so (`passengers_block`):
    otherwise one pilot listing the whole club as passengers would make everyone unbookable."""
    if not crew:
        raise Invalid("crew_required", "A booking needs at least one crew member.", field="crew")
    seen: set[int] = set()
    for membership, role in crew:
        if membership.pk in seen:
            raise Invalid("crew_duplicate", f"{membership.user.display_name} appears twice in the crew.", field="crew")
        seen.add(membership.pk)
        if membership.user.is_service_account:
            raise Invalid("crew_not_a_person", "An API key's account cannot be on a booking's crew.", field="crew")
        check_crew_role(membership, role)
        if not membership.is_active:
            raise member_inactive(membership)
    if sum(1 for _, role in crew if role == BookingCrew.Role.PIC) > 1:
        raise Invalid("one_pic", "A booking has one pilot in command.", field="pic")
    checked = {m.pk for m, role in crew if passengers_block or role != BookingCrew.Role.PASSENGER}
    busy = (
        BookingCrew.objects.filter(membership_id__in=checked, booking__start__lt=end, booking__end__gt=start)
        .exclude(booking__status=Booking.Status.CANCELLED)
        .select_related("booking__aircraft", "membership__user", "membership__organization")
    )
    if not passengers_block:
        busy = busy.exclude(role=BookingCrew.Role.PASSENGER)
    if exclude is not None:
        busy = busy.exclude(booking=exclude)
    clash = busy.order_by("booking__start").first()
    if clash is not None:
        tz = clash.membership.organization.tz
        raise Conflict(
            "crew_conflict",
            f"{clash.membership.user.display_name} is already booked on {clash.booking.aircraft.registration} "
            f"{local_span(clash.booking.start, clash.booking.end, tz)}.",
            field="crew", details={"booking_id": clash.booking_id, "membership_id": clash.membership_id},
        )


def inactive_crew(booking: Booking) -> list[Membership]:
    """Crew members deactivated since the booking was made (from the prefetched crew)."""
    return [c.membership for c in booking.crew.all() if not c.membership.is_active]
