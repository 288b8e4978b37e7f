"""The lists of bookings: a member's own, and the club's for dispatchers."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from clubs.access import club_member
from dispatch import extensions, policy
from dispatch.models import BookingCrew
from dispatch.selectors import upcoming_bookings_of_member


@club_member()
def my_bookings(request):
    m = request.membership
    return render(request, "dispatch/my_bookings.html", {
        **extensions.context_for("my_bookings_page", request=request, membership=m),
        "upcoming": upcoming_bookings_of_member(m)[:50],
        "students": m.students.filter(is_active=True).select_related("user") if m.is_instructor else [],
        "roles": BookingCrew.Role,
    })


@club_member("see_all_bookings")
def booking_list(request):
    bookings = policy.bookings_visible(request.membership).select_related("aircraft").filter(
        end__gte=timezone.now() - timedelta(days=7)).order_by("start")[:200]
    return render(request, "dispatch/booking_list.html", {"bookings": bookings})
