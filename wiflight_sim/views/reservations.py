from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified

from wiflight_sim.errors import ApiError
from wiflight_sim.services.reservations import reservation_delete, reservation_for_owner, reservation_put
from wiflight_sim.views.common import api, xml_response
from wiflight_sim.xml import reservation_element


@api("GET", "PUT", "DELETE")
def reservation(request, name: str):
    # Django has already percent-decoded the path: `a%40b.c` and `a@b.c` arrive the same.
    if request.method == "PUT":
        return _put(request, name)
    if request.method == "DELETE":
        reservation_delete(user=request.sim_user, name=name, if_match=request.META.get("HTTP_IF_MATCH"))
        return HttpResponse("deleted\n", content_type="text/plain")
    found = reservation_for_owner(user=request.sim_user, name=name)
    if found is None:
        raise ApiError(404, "No such reservation")
    inm = request.META.get("HTTP_IF_NONE_MATCH")
    if inm and found.etag in [t.strip() for t in inm.split(",")]:
        response = HttpResponseNotModified()
        response["ETag"] = found.etag
        return response
    return xml_response(reservation_element(found), etag=found.etag)


def _put(request, name: str):
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.SIM_MAX_BODY_BYTES:
        # Refused before reading: the size limit must not first cost us the memory.
        raise ApiError(413, "Request Entity Too Large", f"Body larger than {settings.SIM_MAX_BODY_BYTES} bytes")
    saved, created = reservation_put(
        user=request.sim_user,
        name=name,
        body=request.body,
        if_match=request.META.get("HTTP_IF_MATCH"),
        if_none_match=request.META.get("HTTP_IF_NONE_MATCH"),
    )
    saved.refresh_from_db()
    status, reason = (201, "Created") if created else (200, "OK")
    response = xml_response(reservation_element(saved), status=status, etag=saved.etag)
    response.reason_phrase = reason
    return response
