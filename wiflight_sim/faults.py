"""Fault injection for the API (/auth/*, /a/*). /sim/* control endpoints are never faulted."""

import random
import time

from django.http import HttpResponse

from wiflight_sim.models import FaultState
from wiflight_sim.services.sessions import session_user

FAULTED_PREFIXES = ("/auth/", "/a/")
DROP_FLAG = "wfsim.drop_connection"  # read by wiflight_sim.server, which closes the socket


def faulted_path(path: str) -> bool:
    return path.startswith(FAULTED_PREFIXES)


def fault_response(request) -> HttpResponse | None:
    """Apply the current faults to one request; a response here replaces the real one."""
    state = FaultState.current()
    if state.accounts:
        response = _account_fault(request, state.accounts)
        if response is not None:
            return response
    if state.delay_seconds > 0:
        request.wfsim_fault = "delay"
        time.sleep(state.delay_seconds)
    if state.drop_connections:
        request.wfsim_fault = "drop"
        request.META[DROP_FLAG] = True
        # Under a server that honours the flag nobody sees this; Django's test client does.
        return HttpResponse("connection dropped\n", status=503, reason="Connection dropped (simulated)")
    if state.unavailable:
        request.wfsim_fault = "unavailable"
        return HttpResponse("simulated outage\n", status=503, reason="Service Unavailable", content_type="text/plain")
    if state.fail_fraction > 0 and random.random() < state.fail_fraction:
        request.wfsim_fault = "random_failure"
        return HttpResponse("simulated failure\n", status=503, reason="Service Unavailable", content_type="text/plain")
    return None


def _account_fault(request, accounts: dict) -> HttpResponse | None:
    """The faults of the account this request is for: the login's username, or the session's."""
    from django.conf import settings

    if request.path == "/auth/login":
        username = request.POST.get("username", "")
    else:
        user = session_user(request.COOKIES.get(settings.SIM_SESSION_COOKIE))
        username = user.username if user else ""
    faults = accounts.get(username)
    if not faults:
        return None
    if faults.get("delay"):
        request.wfsim_fault = "account_delay"
        time.sleep(faults["delay"])
    if faults.get("refuse"):
        request.wfsim_fault = "account_refused"
        return HttpResponse("this account is refused (simulated)\n", status=403, reason="Forbidden",
                            content_type="text/plain")
    return None
