"""/organizations/<slug>/aircraft/<id>/maintenance-items: an aircraft's inspections and items
due, each with its standing now (maintenance.selectors). Items are kept and signed off on the
maintenance pages; the API reads them."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api.base import ApiView
from api.resources.aircraft import aircraft_for
from api.resources.maintenance_standing import MaintenanceItemAttributes, item_attributes
from api.schema import list_of
from maintenance.selectors import aircraft_maintenance

KIND = "maintenance_item"


class MaintenanceItemList(ApiView):
    @extend_schema(operation_id="aircraft_maintenance_items", responses=list_of(KIND, MaintenanceItemAttributes),
                   description="The aircraft's active items, worst first, each with its standing now.")
    def get(self, request, slug, pk):
        actor = self.actor(slug)
        aircraft = aircraft_for(actor, pk)
        standings = sorted(aircraft_maintenance(aircraft).items, key=lambda s: (-s.state, s.item.name, s.item.pk))
        data = [{"id": str(s.item.pk), "type": KIND, "attributes": item_attributes(s)} for s in standings]
        return Response({"data": data, "links": {"self": request.build_absolute_uri(), "next": None, "prev": None},
                         "meta": {"count": len(data), "page": 1, "page_size": max(len(data), 1)}})
