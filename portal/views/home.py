from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from dispatch.models import Aircraft, Booking
from clubs.access import club_member
from clubs.models import AuditEvent, Membership


def _landing(membership: Membership) -> tuple[str, str]:
    """Where each role's day starts: admins on the club overview, dispatchers on today's
    board, everybody else on their own upcoming bookings."""
    if membership.is_admin:
        return "club_overview", membership.organization.slug
    if membership.is_dispatcher or membership.is_maintenance or membership.is_viewer:
        return "dispatch:board", membership.organization.slug
    return "dispatch:my_bookings", membership.organization.slug


@login_required
def home(request):
    memberships = list(
        Membership.objects.filter(user=request.user, is_active=True).select_related("organization")
    )
    if len(memberships) == 1:
        return redirect(*_landing(memberships[0]))
    return render(request, "clubs/choose_club.html", {"memberships": memberships})


@club_member("manage_club")
def club_overview(request):
    club = request.club
    now = timezone.now()
    today_end = now + timedelta(hours=24)
    active = Booking.objects.filter(organization=club).exclude(status=Booking.Status.CANCELLED)
    return render(request, "clubs/club_overview.html", {
        "member_count": Membership.objects.people().filter(organization=club, is_active=True).count(),
        "aircraft": Aircraft.objects.filter(organization=club).order_by("registration"),
        "next_24h": active.filter(start__lt=today_end, end__gt=now).count(),
        "out_now": active.filter(status=Booking.Status.DISPATCHED).select_related("aircraft"),
        "recent": AuditEvent.objects.filter(organization=club).select_related("actor")[:10],
    })
