from datetime import datetime, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dispatch.forms import BookingForm, CancelForm, CheckInForm, CheckOutForm
from dispatch import extensions, policy
from dispatch.services import rules
from dispatch.services.bookings import booking_cancel, booking_create, booking_update
from dispatch.views.lookups import aircraft_for, booking_for
from clubs.access import club_member
from core.errors import Refusal
from core.form_errors import add_service_error
from core.query_params import parse_id


def _initial_for_new(request) -> dict:
    initial = {}
    aircraft_id = parse_id(request.GET.get("aircraft"))
    if aircraft_id is not None:
        initial["aircraft"] = aircraft_for(request, aircraft_id).pk
    start = _parse_start(request.GET.get("start"))
    if start is None:
        now = timezone.localtime()
        start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    initial.update(start=start, end=start + timedelta(hours=1))
    m = request.membership
    if not policy.may_dispatch(m):
        initial["pic"] = m.pk
    return initial


def _parse_start(value: str | None) -> datetime | None:
    """A prefilled start from the board's link; anything odd or out of range reads as absent."""
    try:
        start = datetime.fromisoformat(value) if value and len(value) <= 40 else None
    except ValueError:
        return None
    if start is None or not rules.in_time_range(start):
        return None
    return timezone.make_aware(start) if timezone.is_naive(start) else start


@club_member("book")
def booking_new(request):
    m = request.membership
    form = BookingForm(request.POST or None, membership=m, initial=None if request.POST else _initial_for_new(request))
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_create(actor=m, data=form.to_input())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Booked {booking.aircraft.registration}.")
            return _back_to_board(request, booking)
    return render(request, "dispatch/booking_form.html", {"form": form, "title": "New booking"}, status=400 if form.errors else 200)


def _back_to_board(request, booking):
    local_day = timezone.localtime(booking.start).date()
    return redirect(f"{reverse('dispatch:board', args=[request.club.slug])}?date={local_day.isoformat()}#booking-{booking.pk}")


@club_member()
def booking_detail(request, pk: int):
    return booking_page(request, booking_for(request, pk))


def booking_page(request, booking, *, status: int = 200, **forms):
    """The booking page; the check-out/check-in views re-render it with their failed form."""
    # What the apps above add (flights: the booking's detected flights and the Hobbs check).
    extra = extensions.context_for("booking_page", request=request, booking=booking)
    flown = extra.get("flown")
    context = {**extra,
        "booking": booking,
        "may_change": policy.may_change_booking(request.membership, booking),
        "may_dispatch": policy.may_dispatch(request.membership),
        "inactive_crew": rules.inactive_crew(booking),
        "dispatch_record": getattr(booking, "dispatch", None),
        "checkout_form": CheckOutForm(initial={"hobbs_out": booking.aircraft.hobbs, "tach_out": booking.aircraft.tach}),
        # Prefilled from the flights Wi-Flight detected: Hobbs out + their engine hours.
        "checkin_form": CheckInForm(initial={"hobbs_in": getattr(flown, "suggested_hobbs_in", None)}),
        "cancel_form": CancelForm(),
        **forms,
        # Shown at the top too: the form that failed may not be on the page for this status.
        "action_errors": [e for f in forms.values() for e in f.non_field_errors()],
    }
    return render(request, "dispatch/booking_detail.html", context, status=status)


@club_member("book")
def booking_edit(request, pk: int):
    booking = booking_for(request, pk)
    m = request.membership
    try:
        policy.require_booking_change(m, booking)
    except Refusal as exc:
        messages.error(request, exc.message)
        return redirect("dispatch:booking", request.club.slug, booking.pk)
    form = BookingForm(request.POST or None, membership=m, booking=booking,
                       initial=BookingForm.initial_from_booking(booking))
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_update(actor=m, booking=booking, data=form.to_input())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Booking changed.")
            return _back_to_board(request, booking)
    return render(request, "dispatch/booking_form.html", {"form": form, "booking": booking, "title": "Change booking"},
                  status=400 if form.errors else 200)


@require_POST
@club_member("book")
def booking_cancel_view(request, pk: int):
    booking = booking_for(request, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        booking_cancel(actor=request.membership, booking=booking, reason=reason)
    except Refusal as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Booking cancelled.")
    return redirect("dispatch:booking", request.club.slug, booking.pk)
