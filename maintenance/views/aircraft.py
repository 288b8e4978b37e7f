"""An aircraft's maintenance page: hours, items due, sign-offs, squawks and the meter chain."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from clubs.access import club_member
from clubs.policy import can
from maintenance import chain, policy
from maintenance.models import MeterReading, SignOff, Squawk
from maintenance.selectors import aircraft_maintenance
from maintenance.views.lookups import aircraft_for

CHAIN_SHOWN = 50
SIGN_OFFS_SHOWN = 30
CLEARED_SHOWN_FOR = timedelta(days=90)


@club_member()
def aircraft(request, pk: int):
    ac = aircraft_for(request, pk)
    state = aircraft_maintenance(ac)
    readings = list(MeterReading.objects.filter(aircraft=ac).select_related("recorded_by", "booking")
                    .order_by("-at", "-pk")[:CHAIN_SHOWN])
    cleared = (Squawk.objects.filter(aircraft=ac, status=Squawk.Status.CLEARED,
                                     cleared_at__gte=timezone.now() - CLEARED_SHOWN_FOR)
               .select_related("reported_by", "cleared_by").order_by("-cleared_at")[:20])
    return render(request, "maintenance/aircraft.html", {
        "aircraft": ac, "hours_now": chain.hours_at(ac), "state": state,
        "items": sorted(state.items, key=lambda i: (-i.state, i.item.name)),
        "sign_offs": SignOff.objects.filter(aircraft=ac).select_related("item", "signed_by")[:SIGN_OFFS_SHOWN],
        "open_squawks": state.open_squawks, "cleared_squawks": list(cleared), "readings": readings,
        "may_maintain": policy.may_maintain(request.membership),
        "may_report": can(request.membership, "report_squawks") and not ac.is_retired,
    })
