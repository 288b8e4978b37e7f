"""Who may do what with a club and its members. One rule each; views, the API and the
services all ask here, and services enforce it themselves (`require_*`).

Outsiders learn nothing: an object of another club is "not found", never "not allowed".
"""

from collections.abc import Callable

from django.db import models

from clubs.models import Membership
from core.errors import NotAllowed, NotFound

# Capabilities a page or endpoint can ask for (clubs.access.club_member), by name. Each is a
# question about the actor's roles alone; rules about a particular object live in the
# subject's policy module.
CAPABILITIES: dict[str, Callable[[Membership], bool]] = {
    "see_members": lambda m: m.is_admin or m.is_dispatcher or m.is_viewer or m.is_treasurer,
    "manage_members": lambda m: m.is_admin,
    "manage_club": lambda m: m.is_admin,
    "see_audit_log": lambda m: m.is_admin,
    "manage_fleet": lambda m: m.is_admin,
    "set_aircraft_status": lambda m: m.is_admin or m.is_maintenance or m.is_dispatcher,
    "book": lambda m: m.is_admin or m.is_dispatcher or m.is_instructor or m.is_pilot,
    "manage_all_bookings": lambda m: m.is_admin or m.is_dispatcher,
    "dispatch": lambda m: m.is_admin or m.is_dispatcher,
    # The treasurer reads what it bills: every booking, flight and flight-log entry.
    "see_all_bookings": lambda m: m.is_admin or m.is_dispatcher or m.is_maintenance or m.is_viewer or m.is_treasurer,
    "see_all_flights": lambda m: m.is_admin or m.is_dispatcher or m.is_maintenance or m.is_viewer or m.is_treasurer,
    "assign_flights": lambda m: m.is_admin or m.is_dispatcher,
    "manage_flight_log": lambda m: m.is_admin,
    "see_all_flight_log": lambda m: m.is_admin or m.is_viewer or m.is_treasurer,
    # Connections to other systems (Wi-Flight, API keys, webhooks) are set up by a person.
    "manage_integrations": lambda m: m.is_admin and not m.user.is_service_account,
    "run_sync_queue": lambda m: m.is_admin or m.is_dispatcher,
    # Money (accounting): a treasurer or an admin bills, issues, records payments and reads
    # every member's account; a viewer (a board member) reads them. Everyone reads their own.
    "manage_accounts": lambda m: m.is_admin or m.is_treasurer,
    "see_all_accounts": lambda m: m.is_admin or m.is_treasurer or m.is_viewer,
    # Maintenance (issue 14): maintenance and admins keep inspections and sign them off, and
    # clear or defer squawks; every member reports a squawk.
    "manage_maintenance": lambda m: m.is_admin or m.is_maintenance,
    # (a viewer changes nothing, so reports nothing).
    "report_squawks": lambda m: any(r != "viewer" for r in m.roles),
    # Booking rules: admins set them; dispatchers and admins override one, with a reason;
    # instructors and admins grant aircraft checkouts and solo endorsements.
    "manage_booking_rules": lambda m: m.is_admin,
    "override_booking_rules": lambda m: m.is_admin or m.is_dispatcher,
    "grant_checkouts": lambda m: m.is_admin or m.is_instructor,
    # Club events (ground school, meetings, fly-ins) beside the bookings.
    "manage_club_events": lambda m: m.is_admin or m.is_dispatcher or m.is_instructor,
    # The licence, medical and flight-review dates the booking rules check.
    "keep_member_documents": lambda m: m.is_admin or m.is_dispatcher,
}


class Capabilities:
    """`membership.may.<capability>` in templates: each answer comes from CAPABILITIES."""

    def __init__(self, membership: Membership):
        self._membership = membership

    def __getitem__(self, capability: str) -> bool:
        if capability not in CAPABILITIES:
            raise KeyError(capability)
        return can(self._membership, capability)

    def __getattr__(self, capability: str) -> bool:
        try:
            return self[capability]
        except KeyError:
            raise AttributeError(capability) from None


def can(actor: Membership, capability: str) -> bool:
    return actor.is_active and CAPABILITIES[capability](actor)


def require_capability(actor: Membership, capability: str, message: str) -> None:
    require_active(actor)
    if not CAPABILITIES[capability](actor):
        raise NotAllowed("not_allowed", message)


def require_active(actor: Membership) -> None:
    if actor is None or not actor.is_active:
        raise NotAllowed("actor_inactive", "Your membership of this club is not active.")


def require_same_club(actor: Membership, obj: models.Model, what: str = "object") -> None:
    """An object of another club does not exist, as far as this actor can tell."""
    if getattr(obj, "organization_id", None) != actor.organization_id:
        raise NotFound("not_found", f"No such {what}.")


def require_member_manager(actor: Membership, membership: Membership | None = None) -> None:
    require_active(actor)
    if membership is not None:
        require_same_club(actor, membership, "member")
    if not CAPABILITIES["manage_members"](actor):
        raise NotAllowed("not_allowed", "Only club admins manage members.")


def require_document_keeper(actor: Membership, membership: Membership) -> None:
    require_active(actor)
    require_same_club(actor, membership, "member")
    if not CAPABILITIES["keep_member_documents"](actor):
        raise NotAllowed("not_allowed", "Only admins and dispatchers keep members' document dates.")
