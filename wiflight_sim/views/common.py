"""Decorators and responses shared by the API views."""

import functools
import hashlib

from django.conf import settings
from django.http import HttpResponse

from wiflight_sim.errors import ApiError
from wiflight_sim.services.sessions import session_user
from wiflight_sim.xml import to_bytes


def error_response(error: ApiError) -> HttpResponse:
    return HttpResponse(
        error.detail + "\n", status=error.status, reason=error.reason, content_type="text/plain; charset=utf-8"
    )


def api(*methods: str, login: bool = True):
    """Allow only `methods` (405 with Allow otherwise), require a live session, map ApiError."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = HttpResponse(status=405, reason="Method Not Allowed")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if login:
                    request.sim_user = session_user(request.COOKIES.get(settings.SIM_SESSION_COOKIE))
                    if request.sim_user is None:
                        # docs/wiflight.md: 403, not 401, for a missing or expired session.
                        raise ApiError(403, "Login required", "No valid gasn-session cookie: log in first")
                return view(request, *args, **kwargs)
            except ApiError as error:
                return error_response(error)

        return wrapper

    return decorate


def xml_response(element, *, status: int = 200, etag: str | None = None, content_type: str = "text/xml") -> HttpResponse:
    body = to_bytes(element)
    response = HttpResponse(body, status=status, content_type=f"{content_type}; charset=utf-8")
    response["ETag"] = etag or '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return response


def int_param(request, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ApiError(400, f"Bad {name} parameter") from exc
    if value < 0:
        raise ApiError(400, f"Bad {name} parameter")
    return value
