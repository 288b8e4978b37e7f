"""/flightview/<id>: a flight playback page that needs no JavaScript."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from wiflight_sim import selectors
from wiflight_sim.models import Flight
from wiflight_sim.services.sessions import session_user
from wiflight_sim.svg import altitude_profile, plan_view
from wiflight_sim.xml import flight_events


def _refuse(status: int, reason: str) -> HttpResponse:
    return HttpResponse(f"<!doctype html><title>{reason}</title><p>{reason}</p>", status=status, reason=reason)


def flightview(request, flight_id: int):
    user = session_user(request.COOKIES.get(settings.SIM_SESSION_COOKIE))
    if user is None:
        return _refuse(403, "Login required")
    request.sim_user = user
    flight = Flight.objects.select_related("aircraft").filter(pk=flight_id).first()
    if flight is None:
        return _refuse(404, "No such flight")
    if not selectors.can_see_flight(user, flight):
        return _refuse(403, "Not authorized to view this flight")
    track = flight.track
    context = {
        "flight": flight,
        "user": user,
        "crew": selectors.flight_crew_names(flight),
        "events": flight_events(flight),
        "plan": plan_view(track),
        "profile": altitude_profile(track),
    }
    return render(request, "wiflight_sim/flightview.html", context)
