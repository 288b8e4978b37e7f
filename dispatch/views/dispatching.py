from datetime import timedelta
from datetime import timezone as dt_timezone

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dispatch import extensions, policy
from dispatch.board import ceil_to_step
from dispatch.forms import CheckInCorrectionForm, CheckOutForm, WalkUpAircraftForm, WalkUpForm
from dispatch.services.bookings import BookingInput
from dispatch.services.dispatching import (booking_check_in, booking_check_in_correct, booking_check_out,
                                           walkup_dispatch)
from dispatch.services.checks import BOOKING, CHECK_OUT
from dispatch.views.bookings import booking_page, checkin_form_for, report_rules, show_refusal
from dispatch.views.lookups import booking_for
from clubs.access import club_member
from core.errors import Refusal
from core.form_errors import add_service_error


def _dispatchable(request, pk: int):
    """The booking, if this member may check it out and in (dispatchers; its own pilot where
    the club allows it); 404 otherwise, like a page their role does not reach."""
    booking = booking_for(request, pk)
    if not policy.may_dispatch(request.membership, booking):
        raise Http404("No such page.")
    return booking


@require_POST
@club_member()
def check_out(request, pk: int):
    booking = _dispatchable(request, pk)
    form = CheckOutForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            booking = booking_check_out(actor=request.membership, booking=booking, hobbs_out=d["hobbs_out"],
                                        tach_out=d["tach_out"], correction_reason=d["correction_reason"],
                                        override_reason=form.reason_given)
        except Refusal as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, f"{booking.aircraft.registration} checked out.")
            report_rules(request, booking, stages=(CHECK_OUT,), reason=form.reason_given, done="Checked out")
            return redirect("dispatch:booking", request.club.slug, booking.pk)
    return booking_page(request, booking, status=400, checkout_form=form)


@require_POST
@club_member()
def check_in(request, pk: int):
    booking = _dispatchable(request, pk)
    flown = extensions.context_for("booking_page", request=request, booking=booking).get("flown")
    form = checkin_form_for(booking, flown, request.POST)
    if form.is_valid():
        try:
            booking_check_in(actor=request.membership, booking=booking, **form.meters())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{booking.aircraft.registration} checked in.")
            return redirect("dispatch:booking", request.club.slug, booking.pk)
    return booking_page(request, booking, status=400, checkin_form=form)


@club_member("dispatch")
def check_in_correct(request, pk: int):
    """Correct a checked-in booking's meters, fuel or ground time, with a reason; billing
    follows (accounting re-prices the flight)."""
    booking = booking_for(request, pk)
    record = getattr(booking, "dispatch", None)
    if record is None or booking.status != booking.Status.COMPLETED:
        raise Http404("No such page.")
    form = CheckInCorrectionForm(request.POST or None, initial={
        "hobbs_in": record.hobbs_in, "tach_in": record.tach_in, "fuel_cost": record.fuel_cost,
        "ground_hours": record.ground_hours})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            booking_check_in_correct(actor=request.membership, booking=booking, hobbs_in=d["hobbs_in"],
                                     tach_in=d["tach_in"], fuel_cost=d["fuel_cost"] or 0, ground_hours=d["ground_hours"] or 0,
                                     reason=d["reason"])
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Check-in corrected.")
            return redirect("dispatch:booking", request.club.slug, booking.pk)
    return render(request, "dispatch/check_in_correct.html", {"form": form, "booking": booking, "record": record},
                  status=400 if form.errors else 200)


def expected_back(club, now=None):
    """Now plus the club's default booking length, rounded up to its booking step (so the
    walk-up gets at least the default length and ends on the board's grid). Added in UTC, so
    a walk-up across a clock change still gets its real length."""
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    end = now.astimezone(dt_timezone.utc) + timedelta(minutes=club.default_booking_minutes)
    return timezone.localtime(ceil_to_step(end, club.tz, timedelta(minutes=club.booking_step_minutes)), club.tz)


@club_member("dispatch")
def walkup(request):
    """Two steps, both plain forms: choose the aircraft (GET), then the full form with its
    meters from the last check-in and the expected return prefilled."""
    club = request.club
    if request.method != "POST":
        chooser = WalkUpAircraftForm(request.GET if "aircraft" in request.GET else None, club=club)
        if not chooser.is_valid():
            # A GET: an aircraft that cannot leave (or a garbled one) is said on step one.
            return render(request, "dispatch/walkup.html", {"chooser": chooser})
        aircraft = chooser.cleaned_data["aircraft"]
        form = WalkUpForm(membership=request.membership, initial={
            "aircraft": aircraft.pk, "hobbs_out": aircraft.hobbs, "tach_out": aircraft.tach, "end": expected_back(club)})
        return render(request, "dispatch/walkup.html", {"form": form.rendered(), "aircraft": aircraft,
                                                        **_deferred_squawks(request, aircraft)})
    form = WalkUpForm(request.POST, membership=request.membership)
    if form.is_valid():
        d = form.cleaned_data
        data: BookingInput = form.to_input()
        try:
            booking = walkup_dispatch(actor=request.membership, data=data, hobbs_out=d["hobbs_out"],
                                      tach_out=d["tach_out"], correction_reason=d.get("correction_reason", ""))
        except Refusal as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, f"{booking.aircraft.registration} dispatched.")
            report_rules(request, booking, stages=(BOOKING, CHECK_OUT), reason=form.reason_given, done="Dispatched")
            return redirect("dispatch:booking", request.club.slug, booking.pk)
    chosen = form.cleaned_data.get("aircraft") if hasattr(form, "cleaned_data") else None
    return render(request, "dispatch/walkup.html", {"form": form.rendered(), **_deferred_squawks(request, chosen)},
                  status=400 if form.errors else 200)


def _deferred_squawks(request, aircraft) -> dict:
    """The deferred squawks of the aircraft about to leave (maintenance, through the
    aircraft_page hook): every check-out lists them, a walk-up's too."""
    if aircraft is None:
        return {}
    state = extensions.context_for("aircraft_page", request=request, aircraft=aircraft).get("maintenance")
    deferred = getattr(state, "deferred", [])
    return {"deferred_squawks": deferred, "squawk_aircraft": aircraft} if deferred else {}
