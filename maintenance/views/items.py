"""Adding, changing, removing and signing off an aircraft's maintenance items
(maintenance role and admins: the decorator hides the pages, the services enforce it)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from clubs.access import club_member
from core.errors import Refusal
from core.form_errors import add_service_error
from maintenance.chain import hours_at
from maintenance.forms import ItemForm, RemoveForm, SignOffForm
from maintenance.models import MaintenanceItem
from maintenance.selectors import standing_of
from maintenance.services.items import PRESETS, item_create, item_remove, item_sign_off, item_update
from maintenance.views.lookups import aircraft_for, item_for


def _back(request, aircraft_pk: int):
    return redirect("maintenance:aircraft", request.club.slug, aircraft_pk)


def _preset_initial(kind: str | None) -> dict:
    if kind not in MaintenanceItem.Kind.values:
        kind = MaintenanceItem.Kind.HUNDRED_HOUR
    return {"kind": kind, "tolerance_hours": 0, "due_soon_hours": 10, "due_soon_days": 30,
            "grounds_when_overdue": True, **PRESETS[kind]}


@club_member("manage_maintenance")
def item_new(request, pk: int):
    aircraft = aircraft_for(request, pk)
    form = ItemForm(request.POST or None, initial=_preset_initial(request.GET.get("kind")))
    if request.method == "POST" and form.is_valid():
        try:
            item = item_create(actor=request.membership, aircraft=aircraft, data=form.to_input())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added {item.name} to {aircraft.registration}.")
            return _back(request, aircraft.pk)
    return render(request, "maintenance/item_form.html", {
        "form": form, "aircraft": aircraft, "title": f"Add a maintenance item to {aircraft.registration}",
        "presets": MaintenanceItem.Kind.choices, "hours_now": hours_at(aircraft)},
        status=400 if form.errors else 200)


@club_member("manage_maintenance")
def item_edit(request, pk: int):
    item = item_for(request, pk)
    form = ItemForm(request.POST or None, initial=ItemForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            item_update(actor=request.membership, item=item, data=form.to_input())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Saved {item.name}.")
            return _back(request, item.aircraft_id)
    return render(request, "maintenance/item_form.html", {
        "form": form, "aircraft": item.aircraft, "item": item, "title": f"{item.name} of {item.aircraft.registration}",
        "remove_form": RemoveForm(), "hours_now": hours_at(item.aircraft)},
        status=400 if form.errors else 200)


@club_member("manage_maintenance")
def item_remove_view(request, pk: int):
    item = item_for(request, pk)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item_remove(actor=request.membership, item=item, reason=form.cleaned_data["reason"])
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Stopped tracking {item.name}.")
            return _back(request, item.aircraft_id)
    return render(request, "maintenance/item_remove.html", {"form": form, "item": item},
                  status=400 if form.errors else 200)


@club_member("manage_maintenance")
def item_sign_off_view(request, pk: int):
    item = item_for(request, pk)
    hours_now = hours_at(item.aircraft)
    today = timezone.localdate(timezone=request.club.tz)
    initial = {"done_on": today, "done_hours": hours_now if item.interval_hours is not None else None}
    form = SignOffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sign_off = item_sign_off(actor=request.membership, item=item, **form.cleaned_data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            due = " and ".join(t for t in (f"{sign_off.next_due_hours} h" if sign_off.next_due_hours is not None else "",
                                           f"{sign_off.next_due_on:%d %b %Y}" if sign_off.next_due_on else "") if t)
            messages.success(request, f"Signed off {item.name}; next due {due}.")
            return _back(request, item.aircraft_id)
    return render(request, "maintenance/sign_off.html", {
        "form": form, "item": item, "standing": standing_of(item, hours_now, today), "hours_now": hours_now},
        status=400 if form.errors else 200)
