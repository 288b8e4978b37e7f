"""Authorization for club-scoped pages: one decorator, one rule.

Every club page lives under /o/<slug>/. A user who is not an active member of that club gets
404, never 403: outsiders learn nothing about what exists. Inside the club, a missing role is
also 404 for the same reason (a pilot does not learn the admin pages' addresses work).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone

from clubs.models import Membership


def club_member(*roles: str):
    """Require an active membership of the club in the URL, with one of `roles` if given."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            membership = (
                Membership.objects.select_related("organization", "user")
                .filter(organization__slug=slug, user=request.user, is_active=True)
                .first()
            )
            if membership is None or (roles and not membership.has_role(*roles)):
                raise Http404("No such page.")
            request.club = membership.organization
            request.membership = membership
            # Times on club pages are shown and entered in the club's own time zone.
            timezone.activate(membership.organization.tz)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
