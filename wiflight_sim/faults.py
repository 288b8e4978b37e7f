"""Fault injection for the API (/auth/*, /a/*). /sim/* control endpoints are never faulted."""

import random
import time

from django.http import HttpResponse

from wiflight_sim.models import FaultState

FAULTED_PREFIXES = ("/auth/", "/a/")
DROP_FLAG = "wfsim.drop_connection"  # read by wiflight_sim.server, which closes the socket


def faulted_path(path: str) -> bool:
    return path.startswith(FAULTED_PREFIXES)


def fault_response(request) -> HttpResponse | None:
    """Apply the current faults to one request; a response here replaces the real one."""
    state = FaultState.current()
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
