"""Squawks: /organizations/<slug>/aircraft/<id>/squawks (an aircraft's, and reporting one),
/organizations/<slug>/squawks (the club's, by status and severity), and
/organizations/<slug>/squawks/<id>/clear (maintenance). Every write is maintenance.services's.

Photos are attached on the portal's pages only: the API takes JSON, and a squawk's photo is
never served outside the signed-in pages (`has_photo` says whether there is one)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api import envelopes
from api.base import ApiView
from api.fields import StrictSerializer
from api.filters import parsed
from api.resources.aircraft import aircraft_for
from api.schema import envelope_of, list_of
from clubs.policy import require_active
from core.errors import NotFound
from dispatch.models import SquawkSeverity
from maintenance.models import Squawk
from maintenance.services.squawks import squawk_clear, squawk_report

KIND = "squawk"


class SquawkReportSerializer(StrictSerializer):
    description = serializers.CharField(max_length=2000, allow_blank=True, help_text="What is wrong with the aircraft.")
    severity = serializers.ChoiceField(choices=SquawkSeverity.choices, default=SquawkSeverity.MINOR,
                                       help_text="grounding grounds the aircraft until maintenance clears it; "
                                                 "deferred is listed at every check-out.")


class SquawkClearSerializer(StrictSerializer):
    note = serializers.CharField(max_length=500, allow_blank=True, help_text="What was done or found (required).")


class SquawkAttributes(serializers.Serializer):
    aircraft_id = serializers.CharField()
    aircraft = serializers.CharField(help_text="The registration.")
    description = serializers.CharField()
    severity = serializers.ChoiceField(choices=SquawkSeverity.choices)
    status = serializers.ChoiceField(choices=Squawk.Status.choices)
    booking_id = serializers.CharField(allow_null=True, help_text="The check-in it was reported at.")
    reported_by = serializers.CharField(allow_null=True, help_text="The reporter's name.")
    reported_at = serializers.DateTimeField()
    has_photo = serializers.BooleanField()
    maintenance_note = serializers.CharField(allow_blank=True)
    cleared_at = serializers.DateTimeField(allow_null=True)


class SquawkFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=Squawk.Status.choices, required=False)
    severity = serializers.ChoiceField(choices=SquawkSeverity.choices, required=False)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=envelopes.MAX_PAGE_SIZE)


def attributes(s: Squawk) -> dict:
    return {"aircraft_id": str(s.aircraft_id), "aircraft": s.aircraft.registration, "description": s.description,
            "severity": s.severity, "status": s.status, "booking_id": str(s.booking_id) if s.booking_id else None,
            "reported_by": s.reported_by.display_name if s.reported_by else None,
            "reported_at": s.reported_at.isoformat(), "has_photo": bool(s.photo),
            "maintenance_note": s.maintenance_note, "cleared_at": s.cleared_at.isoformat() if s.cleared_at else None}


def _listing(actor):
    # Every member of the club sees its squawks (maintenance.policy): a pilot needs to know.
    require_active(actor)
    return Squawk.objects.filter(organization_id=actor.organization_id).select_related("aircraft", "reported_by")


def _filtered(request, qs):
    f = parsed(request, SquawkFilters)
    if "status" in f:
        qs = qs.filter(status=f["status"])
    if "severity" in f:
        qs = qs.filter(severity=f["severity"])
    return qs.order_by("-reported_at", "-pk")


def _squawk_for(actor, pk: int) -> Squawk:
    found = _listing(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("squawk_not_found", "No such squawk.")
    return found


def _one(actor, squawk: Squawk) -> dict:
    return envelopes.one(KIND, squawk.pk, attributes(_squawk_for(actor, squawk.pk)))


class SquawkList(ApiView):
    @extend_schema(operation_id="squawks_list", parameters=[SquawkFilters], responses=list_of(KIND, SquawkAttributes),
                   description="The club's squawks, newest first.")
    def get(self, request, slug):
        actor = self.actor(slug)
        return Response(envelopes.page_of(request, _filtered(request, _listing(actor)), kind=KIND,
                                          attributes=attributes))


class AircraftSquawkList(ApiView):
    @extend_schema(operation_id="aircraft_squawks_list", parameters=[SquawkFilters],
                   responses=list_of(KIND, SquawkAttributes))
    def get(self, request, slug, pk):
        actor = self.actor(slug)
        aircraft = aircraft_for(actor, pk)
        qs = _listing(actor).filter(aircraft=aircraft)
        return Response(envelopes.page_of(request, _filtered(request, qs), kind=KIND, attributes=attributes))

    @extend_schema(operation_id="aircraft_squawks_report", request=envelope_of(KIND, SquawkReportSerializer,
                                                                               "SquawkReport"),
                   responses={201: envelope_of(KIND, SquawkAttributes)},
                   description="Any member but a viewer reports one; a grounding squawk grounds the aircraft at once.")
    def post(self, request, slug, pk):
        actor = self.actor(slug)
        aircraft = aircraft_for(actor, pk)
        body = SquawkReportSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        squawk = squawk_report(actor=actor, aircraft=aircraft, description=body.validated_data["description"],
                               severity=body.validated_data["severity"])
        return Response(_one(actor, squawk), status=201)


class SquawkDetail(ApiView):
    @extend_schema(operation_id="squawks_retrieve", responses=envelope_of(KIND, SquawkAttributes))
    def get(self, request, slug, pk):
        actor = self.actor(slug)
        squawk = _squawk_for(actor, pk)
        return Response(envelopes.one(KIND, squawk.pk, attributes(squawk)))


class SquawkClear(ApiView):
    @extend_schema(operation_id="squawks_clear", request=envelope_of(KIND, SquawkClearSerializer, "SquawkClear"),
                   responses=envelope_of(KIND, SquawkAttributes),
                   description="Maintenance and admins: the squawk closes, and the aircraft returns to service "
                               "when nothing else holds it.")
    def post(self, request, slug, pk):
        actor = self.actor(slug)
        squawk = _squawk_for(actor, pk)
        body = SquawkClearSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        squawk = squawk_clear(actor=actor, squawk=squawk, note=body.validated_data["note"])
        return Response(_one(actor, squawk))
