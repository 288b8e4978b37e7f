from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dispatch.forms import CheckInForm, CheckOutForm, WalkUpForm
from dispatch.services.bookings import BookingInput
from dispatch.services.dispatching import booking_check_in, booking_check_out, walkup_dispatch
from dispatch.views.bookings import booking_page
from dispatch.views.lookups import booking_for
from clubs.access import club_member
from core.errors import Refusal
from core.form_errors import add_service_error


@require_POST
@club_member("dispatch")
def check_out(request, pk: int):
    booking = booking_for(request, pk)
    form = CheckOutForm(request.POST)
    if form.is_valid():
        try:
            booking_check_out(actor=request.membership, booking=booking, **form.cleaned_data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{booking.aircraft.registration} checked out.")
            return redirect("dispatch:booking", request.club.slug, booking.pk)
    return booking_page(request, booking, status=400, checkout_form=form)


@require_POST
@club_member("dispatch")
def check_in(request, pk: int):
    booking = booking_for(request, pk)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            booking_check_in(actor=request.membership, booking=booking, **form.cleaned_data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{booking.aircraft.registration} checked in.")
            return redirect("dispatch:booking", request.club.slug, booking.pk)
    return booking_page(request, booking, status=400, checkin_form=form)


@club_member("dispatch")
def walkup(request):
    form = WalkUpForm(request.POST or None, membership=request.membership,
                      initial={"aircraft": request.GET.get("aircraft")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data: BookingInput = form.to_input()
        try:
            booking = walkup_dispatch(actor=request.membership, data=data, hobbs_out=d["hobbs_out"],
                                      tach_out=d["tach_out"], correction_reason=d.get("correction_reason", ""))
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{booking.aircraft.registration} dispatched.")
            return redirect("dispatch:booking", request.club.slug, booking.pk)
    return render(request, "dispatch/walkup.html", {"form": form}, status=400 if form.errors else 200)
