"""Who may see flights and flight-log entries, change an entry, and link a flight to a booking.

Each rule is written once as a Relation (core.relations): the queryset filter and the
per-object answer come from the same place, and tests/flights/test_policy.py checks they agree
for every persona. Views, selectors and the services in flights/services all ask here.

Outsiders learn nothing: another club's object, or one the actor may not see, is "not found";
an object the actor sees but may not act on is "not allowed".
"""

from django.db.models import Q, QuerySet

from clubs.models import Membership
from clubs.policy import can, require_active
from core.errors import NotAllowed, NotFound
from core.relations import EVERYTHING, NOTHING, Relation, when
from flights.models import Flight, LogbookEntry


def _crew_ids(flight: Flight) -> set[int]:
    return {c.membership_id for c in flight.crew.all() if c.membership_id is not None}


def _booking_crew(flight: Flight) -> list[Membership]:
    if flight.booking_id is None:
        return []
    return [slot.membership for slot in flight.booking.crew.all()]


def _flight_crew(flight: Flight) -> list[Membership]:
    return [c.membership for c in flight.crew.all() if c.membership_id is not None]


# --- flights ---------------------------------------------------------------------------------

def flights_crewed_by(member: Membership) -> Relation:
    """On board: on the flight's crew (a booking's crew, or matched by the recorder's username),
    or on the crew of the flight's booking."""
    return Relation(
        Q(crew__membership=member) | Q(booking__crew__membership=member),
        lambda f: member.pk in _crew_ids(f) or any(m.pk == member.pk for m in _booking_crew(f)),
    )


def _flights_of_students(member: Membership) -> Relation:
    return Relation(
        Q(crew__membership__instructor=member) | Q(booking__crew__membership__instructor=member),
        lambda f: any(m.instructor_id == member.pk for m in _flight_crew(f) + _booking_crew(f)),
    )


def flight_visibility(actor: Membership) -> Relation:
    """Club-wide roles (admin, dispatcher, maintenance) see every flight of the club; a member
    the flights they were on; an instructor also those of their students."""
    if actor is None or not actor.is_active:
        return NOTHING
    if can(actor, "see_all_flights"):
        return EVERYTHING
    return flights_crewed_by(actor) | when(actor.is_instructor, _flights_of_students(actor))


def _scoped(model, actor: Membership, relation: Relation) -> QuerySet:
    """The relation's filter within the actor's club, without the duplicate rows a join
    through crew would give."""
    qs = model.objects.filter(organization_id=actor.organization_id)
    if relation is EVERYTHING:
        return qs
    return qs.filter(pk__in=model.objects.filter(relation.q).values("pk"))


def visible_flights(actor: Membership) -> QuerySet[Flight]:
    return _scoped(Flight, actor, flight_visibility(actor))


def may_see_flight(actor: Membership, flight: Flight) -> bool:
    return flight.organization_id == actor.organization_id and flight_visibility(actor).holds(flight)


def require_flight_visible(actor: Membership, flight: Flight) -> None:
    require_active(actor)
    if not may_see_flight(actor, flight):
        raise NotFound("flight_not_found", "No such flight.")


def may_assign_flights(actor: Membership) -> bool:
    """Link a flight without a booking to one (dispatchers and admins)."""
    return can(actor, "assign_flights")


def require_may_assign_flight(actor: Membership, flight: Flight) -> None:
    require_active(actor)
    if flight.organization_id != actor.organization_id:
        raise NotFound("flight_not_found", "No such flight.")
    if not may_assign_flights(actor):
        if may_see_flight(actor, flight):
            raise NotAllowed("not_allowed", "Only dispatchers and admins link flights to bookings.")
        raise NotFound("flight_not_found", "No such flight.")


# --- flight-log entries ------------------------------------------------------------------------

def entry_visibility(actor: Membership) -> Relation:
    """The owner, the owner's instructor, and the club's admins (who bill them) and viewers."""
    if actor is None or not actor.is_active:
        return NOTHING
    own = Relation(Q(membership=actor), lambda e: e.membership_id == actor.pk)
    students = Relation(Q(membership__instructor=actor), lambda e: e.membership.instructor_id == actor.pk)
    if can(actor, "see_all_flight_log"):
        return EVERYTHING
    return own | when(actor.is_instructor, students)


def entry_editing(actor: Membership) -> Relation:
    """The owner until the entry is billed; admins always (audited: flights.services.logbook)."""
    if actor is None or not actor.is_active:
        return NOTHING
    own_unbilled = Relation(Q(membership=actor, billed_at__isnull=True),
                            lambda e: e.membership_id == actor.pk and e.billed_at is None)
    return EVERYTHING if can(actor, "manage_flight_log") else own_unbilled


def visible_entries(actor: Membership) -> QuerySet[LogbookEntry]:
    return _scoped(LogbookEntry, actor, entry_visibility(actor))


def may_see_entry(actor: Membership, entry: LogbookEntry) -> bool:
    return entry.organization_id == actor.organization_id and entry_visibility(actor).holds(entry)


def may_edit_entry(actor: Membership, entry: LogbookEntry) -> bool:
    return entry.organization_id == actor.organization_id and entry_editing(actor).holds(entry)


def require_entry_visible(actor: Membership, entry: LogbookEntry) -> None:
    require_active(actor)
    if not may_see_entry(actor, entry):
        raise NotFound("entry_not_found", "No such flight log entry.")


def require_entry_editable(actor: Membership, entry: LogbookEntry) -> None:
    require_entry_visible(actor, entry)
    if may_edit_entry(actor, entry):
        return
    if entry.is_billed and entry.membership_id == actor.pk:
        raise NotAllowed("entry_billed", "This entry has been billed; ask an admin to change it.", field="remarks")
    raise NotAllowed("not_allowed", "You cannot change this entry.")


def require_may_bill_entry(actor: Membership, entry: LogbookEntry) -> None:
    require_entry_visible(actor, entry)
    if not can(actor, "manage_flight_log"):
        raise NotAllowed("not_allowed", "Only admins mark flight log entries billed.")
