"""Get-this-for-this-member-or-404 helpers: every object comes through the member's club,
and bookings through dispatch.policy."""

from django.shortcuts import get_object_or_404

from dispatch import policy
from dispatch.models import Aircraft, Booking
from dispatch.selectors import crew_prefetch


def aircraft_for(request, pk: int) -> Aircraft:
    return get_object_or_404(Aircraft, pk=pk, organization=request.club)


def booking_for(request, pk: int) -> Booking:
    qs = policy.bookings_visible(request.membership).select_related(
        "aircraft", "dispatch", "wiflight_sync").prefetch_related(crew_prefetch())
    return get_object_or_404(qs, pk=pk)
