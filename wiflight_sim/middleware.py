"""Request log (every API request, for the portal's sync tests) and fault injection."""

import hashlib
import time
from urllib.parse import unquote

from wiflight_sim.faults import DROP_FLAG, fault_response, faulted_path
from wiflight_sim.models import RequestLog

LOGGED_PREFIXES = ("/auth/", "/a/", "/flightview/")
RESERVATION_PREFIX = "/a/reservation/"


class FaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if faulted_path(request.path):
            response = fault_response(request)
            if response is not None:
                return response
        return self.get_response(request)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(LOGGED_PREFIXES):
            return self.get_response(request)
        began = time.monotonic()
        body_hash = _body_hash(request)
        response = self.get_response(request)
        if not response.streaming and not response.has_header("Content-Length"):
            # Lets Django's HTTP/1.1 server keep the connection alive (clients reuse it).
            response["Content-Length"] = str(len(response.content))
        user = getattr(request, "sim_user", None)
        name = unquote(request.path[len(RESERVATION_PREFIX) :]) if request.path.startswith(RESERVATION_PREFIX) else ""
        dropped = bool(request.META.get(DROP_FLAG))
        RequestLog.objects.create(
            method=request.method,
            path=request.path[:500],
            query=request.META.get("QUERY_STRING", "")[:500],
            status=0 if dropped else response.status_code,
            reason=("dropped" if dropped else response.reason_phrase)[:200],
            duration_ms=(time.monotonic() - began) * 1000,
            username=user.username if user else "",
            reservation_name=name[:200],
            body_sha256=body_hash,
            etag=response.get("ETag", "")[:100],
            if_match=request.META.get("HTTP_IF_MATCH", "")[:200],
            if_none_match=request.META.get("HTTP_IF_NONE_MATCH", "")[:200],
            fault=getattr(request, "wfsim_fault", ""),
        )
        return response


def _body_hash(request) -> str:
    if request.method not in ("PUT", "POST"):
        return ""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return ""
    from django.conf import settings

    if length == 0 or length > settings.SIM_MAX_BODY_BYTES:
        return ""
    return hashlib.sha256(request.body).hexdigest()
