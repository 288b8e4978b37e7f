from wiflight_sim import selectors
from wiflight_sim.errors import ApiError
from wiflight_sim.models import Aircraft
from wiflight_sim.views.common import api, xml_response
from wiflight_sim.xml import aircraft_element, aircraft_list


@api("GET")
def aircraft_index(request):
    return xml_response(aircraft_list(selectors.visible_aircraft(request.sim_user).order_by("tail")))


@api("GET")
def aircraft_detail(request, aircraft_id: int):
    if not Aircraft.objects.filter(pk=aircraft_id).exists():
        raise ApiError(404, "No such aircraft")
    aircraft = selectors.visible_aircraft(request.sim_user).filter(pk=aircraft_id).first()
    if aircraft is None:
        raise ApiError(403, "Not authorized to view this aircraft")
    return xml_response(aircraft_element(aircraft))
