from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dispatch import extensions
from dispatch.fleet_forms import AircraftForm, GroundForm
from dispatch.models import Aircraft
from dispatch.services.fleet import aircraft_create, aircraft_set_status, aircraft_update
from dispatch.views.lookups import aircraft_for
from clubs.access import club_member
from clubs.policy import can
from core.errors import Refusal
from core.form_errors import add_service_error


@club_member()
def fleet(request):
    aircraft_list = list(Aircraft.objects.filter(organization=request.club).order_by("kind", "registration"))
    show_totals = can(request.membership, "see_all_flights")
    totals = (extensions.context_for("fleet_page", request=request, organization=request.club).get("flight_totals", {})
              if show_totals else {})
    for a in aircraft_list:
        a.flight_totals = totals.get(a.pk)
    return render(request, "dispatch/fleet.html", {
        "aircraft_list": aircraft_list, "ground_form": GroundForm(), "show_totals": show_totals,
    })


@club_member("manage_fleet")
def aircraft_new(request):
    form = AircraftForm(request.POST or None, initial={"kind": Aircraft.Kind.AIRPLANE, "hourly_rate": 0, "has_wiflight_recorder": True})
    if request.method == "POST" and form.is_valid():
        try:
            aircraft = aircraft_create(actor=request.membership, data=form.to_input())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added {aircraft.registration}.")
            return redirect("dispatch:fleet", request.club.slug)
    return render(request, "dispatch/aircraft_form.html", {"form": form, "title": "Add aircraft"},
                  status=400 if form.errors else 200)


@club_member("manage_fleet")
def aircraft_edit(request, pk: int):
    aircraft = aircraft_for(request, pk)
    initial = {f: getattr(aircraft, f) for f in ("registration", "aircraft_type", "kind", "home_base", "hourly_rate", "has_wiflight_recorder")}
    form = AircraftForm(request.POST or None, initial=initial)
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
