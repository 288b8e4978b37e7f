from django.http import HttpResponse

from wiflight_sim import selectors
from wiflight_sim.errors import ApiError
from wiflight_sim.models import Flight
from wiflight_sim.services.flights import track_window
from wiflight_sim.timefmt import TimeFormatError, parse_time
from wiflight_sim.views.common import api, int_param, xml_response
from wiflight_sim.xml import flight_element, flight_list, kml_document, to_bytes, track_element


def flight_for_user(user, flight_id: int) -> Flight:
    flight = Flight.objects.select_related("aircraft").filter(pk=flight_id).first()
    if flight is None:
        raise ApiError(404, "No such flight")
    if not selectors.can_see_flight(user, flight):
        raise ApiError(403, "Not authorized to view this flight")
    return flight


def _time_param(request, name: str):
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        return parse_time(raw)
    except TimeFormatError as exc:
        raise ApiError(400, f"Bad {name} parameter", str(exc)) from exc


@api("GET")
def flight_index(request):
    flights = selectors.visible_flights(request.sim_user).select_related("aircraft")
    start, end = _time_param(request, "start"), _time_param(request, "end")
    if start:
        flights = flights.filter(start__gte=start)
    if end:
        flights = flights.filter(start__lt=end)
    if request.GET.get("aircraft"):
        flights = flights.filter(aircraft_id=int_param(request, "aircraft", 0))
    return xml_response(flight_list(flights.order_by("start", "pk")))


@api("GET")
def flight_detail(request, flight_id: int):
    flight = flight_for_user(request.sim_user, flight_id)
    return xml_response(flight_element(flight, selectors.flight_crew_names(flight)))


@api("GET")
def flight_track(request, flight_id: int):
    flight = flight_for_user(request.sim_user, flight_id)
    offset = int_param(request, "offset", 0)
    points = track_window(flight, offset=offset, length=int_param(request, "length", 600))
    return xml_response(track_element(flight, points, offset))


@api("GET")
def flight_kml(request, flight_id: int):
    flight = flight_for_user(request.sim_user, flight_id)
    response = HttpResponse(to_bytes(kml_document(flight, flight.track)), content_type="application/vnd.google-earth.kml+xml")
    response["Content-Disposition"] = f'attachment; filename="flight-{flight.pk}.kml"'
    return response
