"""The club's events (every member reads them; admins, dispatchers and instructors keep
them) and the page where a member makes or revokes their calendar address."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from calendars import policy, selectors
from calendars.forms import EventForm
from calendars.models import ClubEvent
from calendars.services import event_cancel, event_create, event_update, feed_create, feed_revoke
from clubs.access import club_member
from core.errors import Refusal
from core.form_errors import add_service_error
from dispatch.models import Aircraft


def _event_for(request, pk: int) -> ClubEvent:
    return get_object_or_404(ClubEvent.objects.select_related("instructor__user"), pk=pk, organization=request.club)


@club_member()
def event_list(request):
    return render(request, "calendars/event_list.html", {"events": selectors.upcoming_events(request.club)})


@club_member("manage_club_events")
def event_new(request):
    form = EventForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(actor=request.membership, data=form.to_input())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added “{event.title}”.")
            return redirect("calendars:events", request.club.slug)
    return render(request, "calendars/event_form.html", {"form": form, "title": "New club event"},
                  status=400 if form.errors else 200)


@club_member("manage_club_events")
def event_edit(request, pk: int):
    event = _event_for(request, pk)
    if event.cancelled_at is not None:
        raise Http404("No such event.")
    form = EventForm(request.POST or None, membership=request.membership, initial=EventForm.initial_of(event))
    if request.method == "POST" and form.is_valid():
        try:
            event = event_update(actor=request.membership, event=event, data=form.to_input())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Changed “{event.title}”.")
            return redirect("calendars:events", request.club.slug)
    return render(request, "calendars/event_form.html", {"form": form, "title": f"Change “{event.title}”", "event": event},
                  status=400 if form.errors else 200)


@require_POST
@club_member("manage_club_events")
def event_cancel_view(request, pk: int):
    event = event_cancel(actor=request.membership, event=_event_for(request, pk))
    messages.success(request, f"Cancelled “{event.title}”.")
    return redirect("calendars:events", request.club.slug)


def _addresses(token: str) -> dict:
    https = settings.PUBLIC_BASE_URL + reverse("calendar_feed", args=[token])
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _aircraft_to_subscribe(request):
    if not policy.may_have_aircraft_feed(request.membership):
        return None
    feeds = selectors.live_aircraft_feeds(request.club, request.user)
    fleet = list(Aircraft.objects.filter(organization=request.club, retired_at__isnull=True).order_by("registration"))
    for aircraft in fleet:
        aircraft.live_feed = feeds.get(aircraft.pk)
    return fleet


def _feeds_page(request, shown: dict | None = None):
    response = render(request, "calendars/feeds.html", {
        "my_feed": selectors.live_feed_of(membership=request.membership), "fleet": _aircraft_to_subscribe(request),
        "shown": shown,
    })
    if shown:
        response["Cache-Control"] = "no-store"  # the page carries a secret address
    return response


@club_member()
def feeds(request):
    if request.membership.user.is_service_account:
        raise Http404("No such page.")
    return _feeds_page(request)


def _feed_owner(request) -> dict:
    aircraft_id = request.POST.get("aircraft")
    if not aircraft_id:
        return {"membership": request.membership}
    if not aircraft_id.isdigit() or len(aircraft_id) > 18:
        raise Http404("No such aircraft.")
    return {"aircraft": get_object_or_404(Aircraft, pk=int(aircraft_id), organization=request.club)}


@require_POST
@club_member()
def feed_action(request):
    """Make (or replace) or revoke an address. A new address is shown once, in this response:
    only its hash is stored, so it is not put in the session or a redirect."""
    owner = _feed_owner(request)
    what = owner["aircraft"].registration if "aircraft" in owner else "your bookings"
    try:
        if request.POST.get("action") == "revoke":
            feed_revoke(actor=request.membership, **owner)
        else:
            token = feed_create(actor=request.membership, **owner)
            return _feeds_page(request, shown={"what": what, **_addresses(token)})
    except Refusal as exc:
        if exc.kind in ("not_found", "not_allowed"):
            raise Http404("No such page.") from None
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The calendar address for {what} no longer works.")
    return redirect("calendars:feeds", request.club.slug)
