"""Authorization for club-scoped pages: one decorator, asking for a capability by name.

Every club page lives under /o/<slug>/. A user who is not an active member of that club gets
404, never 403: outsiders learn nothing about what exists. Inside the club, a missing
capability is also 404 for the same reason (a pilot does not learn the admin pages' addresses
work). What each capability means is written once, in clubs.policy.CAPABILITIES.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone

from clubs.models import Membership
from clubs.policy import CAPABILITIES, can


def club_member(capability: str | None = None):
    """Require an active membership of the club in the URL, with `capability` if given."""
    if capability is not None and capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            membership = (
                Membership.objects.select_related("organization", "user")
                .filter(organization__slug=slug, user=request.user, is_active=True)
                .first()
            )
            if membership is None or (capability and not can(membership, capability)):
                raise Http404("No such page.")
            request.club = membership.organization
            request.membership = membership
            # Times on club pages are shown and entered in the club's own time zone.
            timezone.activate(membership.organization.tz)
            return view(request, *args, **kwargs)

        wrapper.capability = capability
        return wrapper

    return decorator
