"""Get-this-for-this-member-or-404: every object comes through the member's club."""

from django.shortcuts import get_object_or_404

from dispatch.models import Aircraft
from maintenance.models import MaintenanceItem, Squawk


def aircraft_for(request, pk: int) -> Aircraft:
    return get_object_or_404(Aircraft.objects.select_related("organization"), pk=pk, organization=request.club)


def item_for(request, pk: int) -> MaintenanceItem:
    return get_object_or_404(MaintenanceItem.objects.select_related("aircraft__organization"), pk=pk,
                             organization=request.club, is_active=True)


def squawk_for(request, pk: int) -> Squawk:
    return get_object_or_404(Squawk.objects.select_related("aircraft__organization", "reported_by", "cleared_by"),
                             pk=pk, organization=request.club)
