"""The payloads of the clubs app's change events (docs/events.md lists them)."""

from clubs.models import Membership


def member_payload(membership: Membership) -> dict:
    return {"id": membership.pk, "name": membership.user.display_name, "email": membership.user.email,
            "roles": membership.roles, "instructor_id": membership.instructor_id, "active": membership.is_active}
