"""Who may see, book, change, cancel and dispatch bookings, and manage the fleet.

Each rule is written once, as relations (core.relations): the same rule gives the queryset
filter (`bookings_visible`, `bookings_changeable`) and the answer for a booking already in
memory (`may_see_booking`, `may_change_booking`), evaluated from the prefetched
`booking.crew.all()` with `c.membership` loaded, so the board decides per block without a
query. tests/dispatch/test_booking_policy.py checks the two halves agree.

- See: club-wide roles (admin, dispatcher, maintenance) see every booking of the club; any
  member sees the bookings they are on (in any role); an instructor sees the bookings one of
  their students flies on (not as a passenger).
- Change and cancel: admins and dispatchers; a member who may book and flies on it (pilot in
  command, instructor or student, never a passenger); the instructor of a student who flies
  on it.
- Having created a booking confers nothing: a pilot taken off its crew no longer sees,
  changes or cancels it. (Before, the creator kept all three while the flight of that booking
  was hidden from them: one rule now, the same one flights use.)
- Dispatch (check out and in): admins and dispatchers. Where the club allows it
  (`pilots_self_dispatch`), also the member in command of the booking: its pilot in command,
  or, on a solo (a student with no instructor on the crew), the student. An instructor's
  student on a lesson, a passenger, or the creator of the booking do not; walk-up dispatch
  (which creates the booking) stays with dispatchers and admins.
- Book: admins and dispatchers book anyone; others book only a booking they could change
  afterwards, whose flying crew are themselves, their students (instructors, solos included)
  or their own instructor (students). Passengers are anyone.

The `require_*` forms are what services call: a booking of another club, or one the actor may
not see, is "not found"; one they see but may not act on is "not allowed".
"""

from django.db.models import Q, QuerySet

from clubs.models import Membership
from clubs.policy import can, require_active
from core.errors import NotAllowed, NotFound
from core.relations import EVERYTHING, NOTHING, Relation, when
from dispatch.models import Aircraft, Booking, BookingCrew

FLYING_ROLES = (BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR, BookingCrew.Role.STUDENT)
CrewList = list[tuple[Membership, str]]


def _crew_rows(**lookup) -> Q:
    return Q(pk__in=BookingCrew.objects.filter(**lookup).values("booking_id"))


def _in_club(actor: Membership) -> Relation:
    return Relation(Q(organization_id=actor.organization_id), lambda b: b.organization_id == actor.organization_id)


def _on_crew(actor: Membership) -> Relation:
    return Relation(_crew_rows(membership_id=actor.pk),
                    lambda b: any(c.membership_id == actor.pk for c in b.crew.all()))


def _flies(actor: Membership) -> Relation:
    return Relation(_crew_rows(membership_id=actor.pk, role__in=FLYING_ROLES),
                    lambda b: any(c.membership_id == actor.pk and c.role in FLYING_ROLES for c in b.crew.all()))


def _student_flies(actor: Membership) -> Relation:
    return Relation(_crew_rows(membership__instructor_id=actor.pk, role__in=FLYING_ROLES),
                    lambda b: any(c.membership.instructor_id == actor.pk and c.role in FLYING_ROLES for c in b.crew.all()))


def _sees(actor: Membership) -> Relation:
    if not actor.is_active:
        return NOTHING
    return _in_club(actor) & (when(can(actor, "see_all_bookings"), EVERYTHING) | _on_crew(actor)
                              | when(actor.is_instructor, _student_flies(actor)))


def _changes(actor: Membership) -> Relation:
    if not actor.is_active:
        return NOTHING
    return _in_club(actor) & (when(can(actor, "manage_all_bookings"), EVERYTHING)
                              | when(can(actor, "book"), _flies(actor) | when(actor.is_instructor, _student_flies(actor))))


def bookings_visible(actor: Membership) -> QuerySet[Booking]:
    return Booking.objects.filter(_sees(actor).q)


def may_see_booking(actor: Membership, booking: Booking) -> bool:
    return _sees(actor).holds(booking)


def booking_visibility(actor: Membership):
    """may_see_booking for many bookings in memory (the board's blocks): the rule built once."""
    return _sees(actor).holds


def bookings_changeable(actor: Membership) -> QuerySet[Booking]:
    return Booking.objects.filter(_changes(actor).q)


def may_change_booking(actor: Membership, booking: Booking) -> bool:
    return _changes(actor).holds(booking)


def may_dispatch(actor: Membership, booking: Booking | None = None) -> bool:
    """Whether the actor checks aircraft out and in: any booking (dispatchers, admins), or,
    given a booking, this one (also its own pilot where the club lets pilots self-dispatch)."""
    if can(actor, "dispatch"):
        return True
    return booking is not None and _self_dispatches(actor, booking)


def _self_dispatches(actor: Membership, booking: Booking) -> bool:
    """From the prefetched crew, like may_see_booking."""
    if not (actor.organization.pilots_self_dispatch and can(actor, "book")
            and booking.organization_id == actor.organization_id):
        return False
    crew = list(booking.crew.all())
    solo = not any(c.role == BookingCrew.Role.INSTRUCTOR for c in crew)
    in_command = {BookingCrew.Role.PIC} | ({BookingCrew.Role.STUDENT} if solo else set())
    return any(c.membership_id == actor.pk and c.role in in_command for c in crew)


def may_manage_fleet(actor: Membership) -> bool:
    return can(actor, "manage_fleet")


def may_set_aircraft_status(actor: Membership) -> bool:
    return can(actor, "set_aircraft_status")


def require_booking_visible(actor: Membership, booking: Booking, message: str = "No such booking.") -> None:
    require_active(actor)
    if not may_see_booking(actor, booking):
        raise NotFound("not_found", message)


def require_booking_change(actor: Membership, booking: Booking, verb: str = "change") -> None:
    # Not found says no more than not allowed would: the same words, another kind.
    message = f"You cannot {verb} this booking."
    require_booking_visible(actor, booking, message)
    if not may_change_booking(actor, booking):
        raise NotAllowed("not_allowed", message)


def require_dispatch(actor: Membership, booking: Booking | None = None) -> None:
    if booking is not None:
        require_booking_visible(actor, booking)
    require_active(actor)
    if not may_dispatch(actor, booking):
        raise NotAllowed("not_allowed", "Only dispatchers and admins check aircraft out and in."
                         if booking is None or not actor.organization.pilots_self_dispatch else
                         "Only dispatchers, admins and the booking's pilot in command check aircraft out and in.")


def require_check_in_corrector(actor: Membership, booking: Booking) -> None:
    """Correcting a check-in after the fact moves money: dispatchers and admins only, never
    the pilot who self-dispatched."""
    require_booking_visible(actor, booking)
    require_active(actor)
    if not can(actor, "dispatch"):
        raise NotAllowed("not_allowed", "Only dispatchers and admins correct a check-in.")


def require_aircraft_in_club(actor: Membership, aircraft: Aircraft) -> None:
    require_active(actor)
    if aircraft.organization_id != actor.organization_id:
        raise NotFound("unknown_aircraft", "Unknown aircraft.", field="aircraft")


def require_fleet_manager(actor: Membership, aircraft: Aircraft | None, verb: str) -> None:
    if aircraft is not None:
        require_aircraft_in_club(actor, aircraft)
    require_active(actor)
    if not may_manage_fleet(actor):
        raise NotAllowed("not_allowed", f"Only club admins {verb} aircraft.")


def require_status_setter(actor: Membership, aircraft: Aircraft) -> None:
    require_aircraft_in_club(actor, aircraft)
    if not may_set_aircraft_status(actor):
        raise NotAllowed("not_allowed", "Only maintenance, dispatchers and admins change an aircraft's status.")


def check_passenger_limit(actor: Membership, crew: CrewList, seated: set[int]) -> None:
    """A pilot or instructor adds passengers only up to the club's limit. `seated`: the
    passengers the booking already had (a dispatcher may have seated more; keeping them is
    not adding)."""
    passengers = {m.pk for m, role in crew if role == BookingCrew.Role.PASSENGER}
    limit = actor.organization.max_passengers
    if len(passengers) > limit and passengers - seated:
        raise NotAllowed("too_many_passengers", f"You can list at most {limit} passenger{'s' if limit != 1 else ''}; "
                         "ask a dispatcher to seat more.", field="crew")


def check_may_book(actor: Membership, crew: CrewList, seated: set[int] = frozenset()) -> None:
    """The actor may make a booking with this crew (the crew's own rules are rules.check_crew).
    `seated`: the passengers the booking being changed already has."""
    require_active(actor)
    if any(m.organization_id != actor.organization_id for m, _ in crew):
        raise NotFound("unknown_member", "Unknown crew member.", field="crew")
    if can(actor, "manage_all_bookings"):
        return
    if not can(actor, "book"):
        raise NotAllowed("role_cannot_book", "Your role does not allow booking aircraft.")
    check_passenger_limit(actor, crew, seated)
    flying = [(m, role) for m, role in crew if role != BookingCrew.Role.PASSENGER]
    students = set(actor.students.values_list("pk", flat=True)) if actor.is_instructor else set()
    teaches_one = any(m.pk in students for m, _ in flying)
    if actor.pk not in {m.pk for m, _ in crew} and not teaches_one:
        raise NotAllowed("not_on_booking", "You can only book flights you are on.", field="crew")
    allowed = {actor.pk} | students
    if actor.instructor_id:  # a student books lessons with their own instructor
        allowed.add(actor.instructor_id)
    for membership, _ in flying:
        if membership.pk not in allowed:
            whom = "yourself and your students" if actor.is_instructor else "yourself"
            raise NotAllowed("crew_not_yours", f"You can book flights only for {whom}; ask a dispatcher to book "
                             f"{membership.user.display_name}.", field="crew")
    # What you book you can change afterwards: you fly on it, or a student of yours does.
    if actor.pk not in {m.pk for m, _ in flying} and not teaches_one:
        raise NotAllowed("not_on_booking", "You can only book flights you fly on (not as a passenger only).",
                         field="crew")
