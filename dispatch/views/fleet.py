from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dispatch import extensions, policy
from dispatch.fleet_forms import EDITABLE_FIELDS, AircraftCreateForm, AircraftForm, GroundForm, MetersForm, RetireForm
from dispatch.models import Aircraft
from dispatch.services.fleet import (
    aircraft_create, aircraft_meters_correct, aircraft_reinstate, aircraft_retire, aircraft_set_status, aircraft_update,
)
from dispatch.views.lookups import aircraft_for
from clubs.access import club_member
from clubs.policy import can
from core.errors import Refusal
from core.form_errors import add_service_error

RECENT_BOOKINGS = 10


@club_member()
def fleet(request):
    aircraft_list = list(Aircraft.objects.filter(organization=request.club).order_by("kind", "registration"))
    show_totals = can(request.membership, "see_all_flights")
    # What the apps above add per aircraft id: flights' `flight_totals` (shown to those who
    # see every flight), maintenance's `maintenance` (hours, items due, open squawks).
    extra = extensions.context_for("fleet_page", request=request, organization=request.club)
    totals = extra.get("flight_totals", {}) if show_totals else {}
    maintenance = extra.get("maintenance", {})
    for a in aircraft_list:
        a.flight_totals = totals.get(a.pk)
        a.maintenance = maintenance.get(a.pk)
    return render(request, "dispatch/fleet.html", {
        "aircraft_list": [a for a in aircraft_list if not a.is_retired],
        "retired_list": [a for a in aircraft_list if a.is_retired],
        "ground_form": GroundForm(), "show_totals": show_totals,
    })


@club_member()
def aircraft_detail(request, pk: int):
    aircraft = aircraft_for(request, pk)
    bookings = (policy.bookings_visible(request.membership).filter(aircraft=aircraft)
                .select_related("dispatch").order_by("-start")[:RECENT_BOOKINGS])
    # maintenance adds `maintenance` (hours, items due, open squawks) and `squawks`.
    extra = extensions.context_for("aircraft_page", request=request, aircraft=aircraft)
    return render(request, "dispatch/aircraft_detail.html", {
        "squawks": [], **extra,
        "aircraft": aircraft, "bookings": list(bookings),
        "retire_form": RetireForm(), "see_all_bookings": can(request.membership, "see_all_bookings"),
    })


@club_member("manage_fleet")
def aircraft_meters(request, pk: int):
    aircraft = aircraft_for(request, pk)
    form = MetersForm(request.POST or None, initial={"hobbs": aircraft.hobbs, "tach": aircraft.tach})
    if request.method == "POST" and form.is_valid():
        try:
            aircraft_meters_correct(actor=request.membership, aircraft=aircraft, **form.cleaned_data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Corrected the meters of {aircraft.registration}.")
            return redirect("dispatch:aircraft", request.club.slug, aircraft.pk)
    return render(request, "dispatch/aircraft_form.html", {
        "form": form, "aircraft": aircraft, "title": f"Correct the meters of {aircraft}"},
        status=400 if form.errors else 200)


@club_member("manage_fleet")
def aircraft_new(request):
    form = AircraftCreateForm(request.POST or None, initial={"kind": Aircraft.Kind.AIRPLANE, "hourly_rate": 0})
    if request.method == "POST" and form.is_valid():
        try:
            aircraft = aircraft_create(actor=request.membership, data=form.to_input())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            added = f"Added {aircraft.registration}."
            if aircraft.has_wiflight_recorder:
                added += " Wi-Flight must know this registration before it accepts reservations for it: test the connection."
            messages.success(request, added)
            return redirect("dispatch:aircraft", request.club.slug, aircraft.pk)
    return render(request, "dispatch/aircraft_form.html", {"form": form, "title": "Add aircraft"},
                  status=400 if form.errors else 200)


@club_member("manage_fleet")
def aircraft_edit(request, pk: int):
    aircraft = aircraft_for(request, pk)
    form = AircraftForm(request.POST or None, initial={f: getattr(aircraft, f) for f in EDITABLE_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            aircraft_update(actor=request.membership, aircraft=aircraft, data=form.to_input())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Saved {aircraft.registration}.")
            return redirect("dispatch:fleet", request.club.slug)
    return render(request, "dispatch/aircraft_form.html", {"form": form, "aircraft": aircraft, "title": f"Edit {aircraft}"},
                  status=400 if form.errors else 200)


@require_POST
@club_member("set_aircraft_status")
def aircraft_status(request, pk: int):
    aircraft = aircraft_for(request, pk)
    grounded = request.POST.get("action") == "ground"
    form = GroundForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        aircraft_set_status(actor=request.membership, aircraft=aircraft, grounded=grounded, reason=reason)
    except Refusal as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{aircraft.registration} is {aircraft.get_status_display().lower()}.")
    return redirect("dispatch:fleet", request.club.slug)


@require_POST
@club_member("manage_fleet")
def aircraft_retire_view(request, pk: int):
    aircraft = aircraft_for(request, pk)
    try:
        # The service checks the reason (plain text, its length) and says what is wrong.
        aircraft_retire(actor=request.membership, aircraft=aircraft, reason=request.POST.get("reason", ""))
    except Refusal as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dispatch:aircraft", request.club.slug, aircraft.pk)
    messages.success(request, f"Retired {aircraft.registration}: it keeps its history and is no longer booked.")
    return redirect("dispatch:fleet", request.club.slug)


@require_POST
@club_member("manage_fleet")
def aircraft_reinstate_view(request, pk: int):
    aircraft = aircraft_for(request, pk)
    try:
        aircraft_reinstate(actor=request.membership, aircraft=aircraft)
    except Refusal as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{aircraft.registration} is back in service.")
    return redirect("dispatch:aircraft", request.club.slug, aircraft.pk)
