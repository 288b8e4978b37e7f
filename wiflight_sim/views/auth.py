from django.conf import settings
from django.http import HttpResponse
from lxml import etree

from wiflight_sim.services.sessions import parse_expires, session_end, session_login
from wiflight_sim.timefmt import format_time
from wiflight_sim.views.common import api, xml_response


def set_session_cookie(response: HttpResponse, token: str, max_age: int) -> None:
    response.set_cookie(
        settings.SIM_SESSION_COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=settings.SIM_BASE_URL.startswith("https:"),
    )


@api("POST", login=False)
def login(request):
    expires = parse_expires(request.POST.get("expires"))
    token, session = session_login(
        username=request.POST.get("username", ""), password=request.POST.get("password", ""), expires_seconds=expires
    )
    request.sim_user = session.user
    response = xml_response(etree.Element("session", user=session.user.username, expires=format_time(session.expires_at)))
    set_session_cookie(response, token, expires)
    return response


@api("POST", login=False)
def logout(request):
    session_end(request.COOKIES.get(settings.SIM_SESSION_COOKIE))
    response = HttpResponse("logged out\n", content_type="text/plain")
    response.delete_cookie(settings.SIM_SESSION_COOKIE, path="/")
    return response
