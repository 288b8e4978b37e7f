"""Who may do what with the club's calendar: every member sees the club's events;
admins, dispatchers and instructors add, change and cancel them. A member makes and revokes
their own feed; an aircraft's feed (its bookings with the crew's names, its maintenance) is
for those who see every booking."""

from clubs.policy import can, require_active
from core.errors import NotAllowed, NotFound


def require_event_manager(actor, event=None) -> None:
    require_active(actor)
    if event is not None and event.organization_id != actor.organization_id:
        raise NotFound("not_found", "No such event.")
    if not can(actor, "manage_club_events"):
        raise NotAllowed("not_allowed", "Only admins, dispatchers and instructors add club events.")


def may_have_aircraft_feed(actor) -> bool:
    return can(actor, "see_all_bookings")


def require_feed_owner(actor, *, membership=None, aircraft=None) -> None:
    require_active(actor)
    if actor.user.is_service_account:
        raise NotAllowed("not_allowed", "An API key has no calendar.")
    if membership is not None and membership.pk != actor.pk:
        raise NotFound("not_found", "No such member.")
    if aircraft is not None:
        if aircraft.organization_id != actor.organization_id:
            raise NotFound("unknown_aircraft", "Unknown aircraft.", field="aircraft")
        if not may_have_aircraft_feed(actor):
            raise NotAllowed("not_allowed", "Only those who see every booking subscribe to an aircraft's calendar.")
