"""Flights without a booking (none matched, or a reservation we could not place), listed for
dispatchers and admins with the bookings they may belong to, and linking one to its booking;
and moving a flight linked to the wrong booking to the right one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clubs.access import club_member
from core.query_params import parse_id
from dispatch.models import Booking
from flights.policy import visible_flights
from flights.selectors import booking_candidates_for, flights_without_booking
from flights.services.assignment import flight_assign, flight_reassign

LISTED = 200


@club_member("assign_flights")
def unassigned_flights(request):
    flights = list(flights_without_booking(request.membership)[:LISTED])
    candidates = booking_candidates_for(flights)
    rows = [(f, candidates[f.pk][:5]) for f in flights]
    return render(request, "flights/unassigned.html", {"rows": rows})


@require_POST
@club_member("assign_flights")
def flight_assign_view(request, pk: int):
    flight = get_object_or_404(visible_flights(request.membership), pk=pk)
    # Not scoped to the club here on purpose: the service is the one door and refuses a
    # booking of another club as "not found" (tests/flights/test_assignment.py).
    booking = Booking.objects.select_related("aircraft").filter(pk=parse_id(request.POST.get("booking", "")) or 0).first()
    try:
        if booking is None:
            messages.error(request, "Pick one of the bookings offered.")
        else:
            flight_assign(actor=request.membership, flight=flight, booking=booking)
            messages.success(request, f"Flight {flight.tail} {flight.start:%d %b %H:%M} linked to the booking.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("flights:unassigned", request.club.slug)


@club_member("assign_flights")
def flight_move(request, pk: int):
    """The bookings near a linked flight, to move it to the one it was really flown on."""
    flight = get_object_or_404(visible_flights(request.membership).select_related("booking"), pk=pk)
    if request.method == "POST":
        booking = Booking.objects.select_related("aircraft").filter(pk=parse_id(request.POST.get("booking", "")) or 0).first()
        try:
            if booking is None:
                messages.error(request, "Pick one of the bookings offered.")
            else:
                flight_reassign(actor=request.membership, flight=flight, booking=booking)
                messages.success(request, f"Flight {flight.tail} {flight.start:%d %b %H:%M} moved to the booking.")
                return redirect("flights:flight", request.club.slug, flight.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("flights:move", request.club.slug, flight.pk)
    candidates = [b for b in booking_candidates_for([flight])[flight.pk] if b.pk != flight.booking_id]
    return render(request, "flights/flight_move.html", {"flight": flight, "candidates": candidates[:8]})
