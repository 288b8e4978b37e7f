"""Flights that came back without a booking, and linking one to its booking."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clubs.access import club_member
from core.query_params import parse_id
from dispatch.models import Booking
from flights.models import Flight
from integrations.wiflight.flight_services import flight_assign


@club_member("assign_flights")
def unassigned_flights(request):
    flights = Flight.objects.filter(organization=request.club, booking__isnull=True).select_related("aircraft")[:200]
    return render(request, "flights/unassigned.html", {"flights": flights})


@require_POST
@club_member("assign_flights")
def flight_assign_view(request, pk: int):
    flight = get_object_or_404(Flight, pk=pk, organization=request.club)
    booking_id = request.POST.get("booking", "")
    booking = get_object_or_404(Booking, pk=parse_id(booking_id) or 0, organization=request.club)
    try:
        flight_assign(flight=flight, booking=booking, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Flight {flight.wiflight_id} linked to the booking.")
    return redirect("wiflight:flights", request.club.slug)
