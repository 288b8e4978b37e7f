"""/organizations/<slug>/aircraft: the fleet (aircraft and simulators) with status; add and
edit (admins), ground and return to service (maintenance, dispatchers, admins).

Retired aircraft stay listed (their bookings and flights refer to them) with `retired: true`;
booking one is refused by the booking rules (`aircraft_retired`). Each aircraft carries its
`maintenance` (hours, worst state, items due soon or worse, open squawks) and whether
maintenance grounded it (`grounded_by_maintenance`: released only by maintenance's records)."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api import envelopes
from api.base import ApiView
from api.fields import PlainCharField, StrictSerializer
from api.resources.maintenance_standing import AircraftMaintenanceSerializer, summaries_for
from api.schema import envelope_of, list_of
from core.errors import NotFound
from dispatch.models import Aircraft
from dispatch.services.fleet import AircraftInput, aircraft_create, aircraft_set_status, aircraft_update

KIND = "aircraft"


class AircraftWriteSerializer(StrictSerializer):
    registration = PlainCharField(max_length=16)
    aircraft_type = PlainCharField(max_length=60)
    kind = serializers.ChoiceField(choices=Aircraft.Kind.choices, default=Aircraft.Kind.AIRPLANE)
    home_base = PlainCharField(max_length=8, required=False, allow_blank=True, default="")
    hourly_rate = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0"), default=Decimal("0"))
    has_wiflight_recorder = serializers.BooleanField(default=True)


class StatusSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=Aircraft.Status.choices)
    reason = PlainCharField(max_length=200, required=False, allow_blank=True, default="",
                           help_text="Why it is grounded (required to ground).")


class AircraftAttributes(serializers.Serializer):
    registration = serializers.CharField()
    aircraft_type = serializers.CharField()
    kind = serializers.ChoiceField(choices=Aircraft.Kind.choices)
    home_base = serializers.CharField(allow_blank=True)
    hourly_rate = serializers.CharField(help_text="A decimal string.")
    status = serializers.ChoiceField(choices=Aircraft.Status.choices)
    grounded_reason = serializers.CharField(allow_blank=True)
    has_wiflight_recorder = serializers.BooleanField()
    hobbs = serializers.CharField()
    tach = serializers.CharField()
    retired = serializers.BooleanField(help_text="Out of the fleet: kept for its history, no longer bookable.")
    retired_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    grounded_by_maintenance = serializers.BooleanField(
        help_text="Grounded by maintenance (an overdue item, a grounding squawk): it returns to service when "
                  "maintenance signs the item off or clears the squawk, not by setting the status.")
    grounded_at = serializers.DateTimeField(allow_null=True)
    maintenance = AircraftMaintenanceSerializer()


def with_maintenance(aircraft: list[Aircraft]) -> None:
    """Reads the maintenance of every aircraft given in one go (a page, or one)."""
    if aircraft:
        found = summaries_for(aircraft[0].organization, aircraft)
        for a in aircraft:
            a.api_maintenance = found[a.pk]


def attributes(a: Aircraft) -> dict:
    if not hasattr(a, "api_maintenance"):
        with_maintenance([a])
    return {"grounded_by_maintenance": a.grounded_by_maintenance,
            "grounded_at": a.grounded_at.isoformat() if a.grounded_at else None, "maintenance": a.api_maintenance,
            "registration": a.registration, "aircraft_type": a.aircraft_type, "kind": a.kind, "home_base": a.home_base,
            "hourly_rate": str(a.hourly_rate), "status": a.status, "grounded_reason": a.grounded_reason,
            "has_wiflight_recorder": a.has_wiflight_recorder, "hobbs": str(a.hobbs), "tach": str(a.tach),
            "retired": a.is_retired, "retired_at": a.retired_at.isoformat() if a.retired_at else None,
            "created_at": a.created_at.isoformat()}


def aircraft_for(actor, pk: int) -> Aircraft:
    found = (Aircraft.objects.filter(organization_id=actor.organization_id, pk=pk).select_related("organization")
             .first())
    if found is None:
        raise NotFound("unknown_aircraft", "No such aircraft.")
    return found


def _input(d: dict) -> AircraftInput:
    return AircraftInput(registration=d["registration"], aircraft_type=d["aircraft_type"], kind=d["kind"],
                         home_base=d["home_base"], hourly_rate=d["hourly_rate"],
                         has_wiflight_recorder=d["has_wiflight_recorder"])


class AircraftList(ApiView):
    @extend_schema(operation_id="aircraft_list", responses=list_of(KIND, AircraftAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        qs = (Aircraft.objects.filter(organization_id=actor.organization_id).select_related("organization")
              .order_by("registration", "pk"))
        return Response(envelopes.page_of(request, qs, kind=KIND, attributes=attributes, prepare=with_maintenance))

    @extend_schema(operation_id="aircraft_create", request=envelope_of(KIND, AircraftWriteSerializer, "AircraftWrite"),
                   responses={201: envelope_of(KIND, AircraftAttributes)})
    def post(self, request, slug):
        actor = self.actor(slug)
        body = AircraftWriteSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        aircraft = aircraft_create(actor=actor, data=_input(body.validated_data))
        return Response(envelopes.one(KIND, aircraft.pk, attributes(aircraft)), status=201)


class AircraftDetail(ApiView):
    @extend_schema(operation_id="aircraft_retrieve", responses=envelope_of(KIND, AircraftAttributes))
    def get(self, request, slug, pk):
        aircraft = aircraft_for(self.actor(slug), pk)
        return Response(envelopes.one(KIND, aircraft.pk, attributes(aircraft)))

    @extend_schema(operation_id="aircraft_update",
                   request=envelope_of(KIND, AircraftWriteSerializer, "AircraftPatch", partial=True),
                   responses=envelope_of(KIND, AircraftAttributes))
    def patch(self, request, slug, pk):
        actor = self.actor(slug)
        aircraft = aircraft_for(actor, pk)
        changes = AircraftWriteSerializer(data=envelopes.attributes_of(request, KIND), partial=True)
        changes.is_valid(raise_exception=True)
        current = {"registration": aircraft.registration, "aircraft_type": aircraft.aircraft_type,
                   "kind": aircraft.kind, "home_base": aircraft.home_base, "hourly_rate": aircraft.hourly_rate,
                   "has_wiflight_recorder": aircraft.has_wiflight_recorder}
        aircraft = aircraft_update(actor=actor, aircraft=aircraft, data=_input({**current, **changes.validated_data}))
        return Response(envelopes.one(KIND, aircraft.pk, attributes(aircraft)))


class AircraftStatus(ApiView):
    @extend_schema(operation_id="aircraft_set_status", request=envelope_of(KIND, StatusSerializer, "AircraftStatus"),
                   responses=envelope_of(KIND, AircraftAttributes))
    def post(self, request, slug, pk):
        actor = self.actor(slug)
        aircraft = aircraft_for(actor, pk)
        body = StatusSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        d = body.validated_data
        aircraft = aircraft_set_status(actor=actor, aircraft=aircraft, grounded=d["status"] == Aircraft.Status.GROUNDED,
                                       reason=d["reason"])
        return Response(envelopes.one(KIND, aircraft.pk, attributes(aircraft)))
