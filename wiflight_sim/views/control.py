"""/sim/*: simulator-only control endpoints (never faulted, never part of Wi-Flight's API)."""

import functools
import ipaddress
import json

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt

from wiflight_sim import selectors
from wiflight_sim.errors import ApiError
from wiflight_sim.models import FaultState, Notification, RequestLog
from wiflight_sim.notifications import deliver_due
from wiflight_sim.services.control import faults_update, sim_reset, sim_stats
from wiflight_sim.services.flights import flight_record
from wiflight_sim.timefmt import TimeFormatError, parse_time


def _allowed(request) -> bool:
    token = settings.SIM_CONTROL_TOKEN
    if token:
        given = request.META.get("HTTP_X_SIM_TOKEN") or request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        return constant_time_compare(given, token)
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def control(*methods: str):
    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = JsonResponse({"error": "method not allowed"}, status=405)
                response["Allow"] = ", ".join(methods)
                return response
            if not _allowed(request):
                return JsonResponse({"error": "control token required"}, status=403)
            try:
                return view(request, *args, **kwargs)
            except ApiError as error:
                return JsonResponse({"error": error.detail}, status=error.status, reason=error.reason)

        return wrapper

    return decorate


def _payload(request) -> dict:
    if request.content_type == "application/json":
        if not request.body.strip():
            return {}
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise ApiError(400, "Bad JSON", str(exc)) from exc
        if not isinstance(data, dict):
            raise ApiError(400, "Bad JSON", "expected a JSON object")
        return data
    return {key: request.POST.get(key) for key in request.POST}


@control("GET")
def health(request):
    return JsonResponse({"ok": True, "time": timezone.now().isoformat()})


@control("GET", "POST")
def faults(request):
    if request.method == "GET":
        return JsonResponse(FaultState.current().as_dict())
    data = _payload(request)
    if request.content_type != "application/json":  # form values are strings
        data = {k: (v.lower() in ("1", "true", "yes", "on") if k not in ("delay", "fail_fraction") else v) for k, v in data.items()}
    return JsonResponse(faults_update(data))


@control("GET")
def stats(request):
    return JsonResponse(sim_stats())


@control("GET")
def requests_log(request):
    rows = RequestLog.objects.order_by("pk")
    since = request.GET.get("since")
    if since and since.isdigit():
        rows = rows.filter(pk__gt=int(since))
    for field in ("method", "reservation"):
        if request.GET.get(field):
            rows = rows.filter(**{"method" if field == "method" else "reservation_name": request.GET[field]})
    limit = min(int(request.GET.get("limit", "1000") or 1000), 10000)
    return JsonResponse({"requests": [row.as_dict() for row in rows[:limit]]})


@control("POST")
def reset(request):
    data = _payload(request)
    sim_reset(clear_faults=data.get("faults", True) not in (False, "false", "0"))
    return JsonResponse({"reset": True})


@control("POST")
def flights(request):
    data = _payload(request)
    if not data.get("tail") or not data.get("start"):
        raise ApiError(400, "tail and start are required")
    try:
        start = parse_time(str(data["start"]))
    except TimeFormatError as exc:
        raise ApiError(400, "Bad start", str(exc)) from exc
    track = data.get("track")
    if isinstance(track, str):
        track = json.loads(track)
    try:
        duration = int(data["duration"]) if data.get("duration") not in (None, "") else None
    except (TypeError, ValueError) as exc:
        raise ApiError(400, "Bad duration", "duration is a whole number of seconds") from exc
    flight, matches = flight_record(
        tail=str(data["tail"]), start=start, duration=duration,
        departure=data.get("from"), destination=data.get("to"), track=track,
    )
    return JsonResponse(
        {
            "id": flight.pk,
            "headline": flight.headline,
            "length": flight.length,
            "crew": selectors.flight_crew_names(flight),
            "matched": [{"reservation": m.reservation.name, "domain": m.domain} for m in matches],
            "notifications": list(flight.notifications.values_list("pk", flat=True)),
        },
        status=201,
    )


@control("GET")
def notifications(request):
    rows = Notification.objects.select_related("profile", "reservation").order_by("pk")
    return JsonResponse({"notifications": [row.as_dict() for row in rows]})


@control("POST")
def notifications_deliver(request):
    return JsonResponse({"delivered": deliver_due()})
