"""Get-this-for-this-member-or-404 helpers: every object comes through the member's club."""

from django.shortcuts import get_object_or_404

from dispatch.models import Aircraft, Booking
from dispatch.selectors import bookings_visible_to, crew_prefetch


def aircraft_for(request, pk: int) -> Aircraft:
    return get_object_or_404(Aircraft, pk=pk, organization=request.club)


def booking_for(request, pk: int) -> Booking:
    qs = bookings_visible_to(request.membership).select_related("aircraft", "dispatch", "wiflight_sync").prefetch_related(crew_prefetch())
    return get_object_or_404(qs, pk=pk)


def may_open(membership, booking: Booking) -> bool:
    """Whether the board links a block to its page (same rule as bookings_visible_to, on
    already-fetched crew, so the board stays at a fixed number of queries)."""
    if membership.sees_all_bookings or booking.created_by_id == membership.user_id:
        return True
    for c in booking.crew.all():
        if c.membership_id == membership.pk or (membership.is_instructor and c.membership.instructor_id == membership.pk):
            return True
    return False
