"""/organizations: the organizations the credential may use; one organization's data and
the settings an admin may change (clubs.services.organization_update)."""

import re
import zoneinfo
from datetime import time

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from api import envelopes
from api.base import ApiView
from api.fields import PlainCharField, StrictSerializer
from api.ratelimit import limit_for
from api.schema import envelope_of, list_of
from clubs.models import AltitudeUnit, BookingStep, Organization, Plan
from clubs.services import DAY_SETTINGS, MAX_PASSENGERS_LIMIT, organization_update

KIND = "organization"
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


@extend_schema_field({"type": "string", "pattern": CLOCK, "example": "06:00"})
class ClockTimeField(serializers.Field):
    """A wall-clock time as "HH:MM" (the club's local time): not an RFC 3339 time, which
    needs seconds and an offset that a club's opening hours do not have."""

    default_error_messages = {"invalid": 'Give a time as "HH:MM", for example "06:00".'}

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(CLOCK, data):
            self.fail("invalid")
        hours, minutes = data.split(":")
        return time(int(hours), int(minutes))

    def to_representation(self, value):
        return value.strftime("%H:%M")


class OrganizationAttributes(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    timezone = serializers.CharField()
    plan = serializers.ChoiceField(choices=Plan.choices)
    api_requests_per_hour = serializers.IntegerField()
    wiflight_user_domain = serializers.CharField(allow_blank=True)
    max_passengers = serializers.IntegerField()
    passengers_block_bookings = serializers.BooleanField()
    day_starts = ClockTimeField()
    day_ends = ClockTimeField()
    booking_step_minutes = serializers.ChoiceField(choices=BookingStep.choices)
    default_booking_minutes = serializers.IntegerField()
    pilots_self_dispatch = serializers.BooleanField()
    show_instructor_rows = serializers.BooleanField()
    altitude_unit = serializers.ChoiceField(choices=AltitudeUnit.choices)
    currency = serializers.CharField(help_text="ISO 4217: every amount of this club is in it (set on the billing settings page).")
    created_at = serializers.DateTimeField()


class OrganizationUpdateSerializer(StrictSerializer):
    name = PlainCharField(max_length=120, required=False)
    timezone = serializers.ChoiceField(choices=sorted(zoneinfo.available_timezones()), required=False)
    wiflight_user_domain = PlainCharField(max_length=120, required=False, allow_blank=True)
    max_passengers = serializers.IntegerField(min_value=0, max_value=MAX_PASSENGERS_LIMIT, required=False)
    passengers_block_bookings = serializers.BooleanField(required=False)
    day_starts = ClockTimeField(required=False)
    day_ends = ClockTimeField(required=False)
    booking_step_minutes = serializers.ChoiceField(choices=BookingStep.choices, required=False)
    default_booking_minutes = serializers.IntegerField(min_value=5, max_value=1440, required=False)
    pilots_self_dispatch = serializers.BooleanField(required=False)
    show_instructor_rows = serializers.BooleanField(required=False)
    altitude_unit = serializers.ChoiceField(choices=AltitudeUnit.choices, required=False)


def attributes(org: Organization) -> dict:
    return {"name": org.name, "slug": org.slug, "timezone": org.timezone, "plan": org.plan,
            "api_requests_per_hour": limit_for(org), "wiflight_user_domain": org.wiflight_user_domain,
            "max_passengers": org.max_passengers, "passengers_block_bookings": org.passengers_block_bookings,
            "day_starts": org.day_starts.strftime("%H:%M"), "day_ends": org.day_ends.strftime("%H:%M"),
            "booking_step_minutes": org.booking_step_minutes, "default_booking_minutes": org.default_booking_minutes,
            "pilots_self_dispatch": org.pilots_self_dispatch, "show_instructor_rows": org.show_instructor_rows,
            "altitude_unit": org.altitude_unit, "currency": org.currency, "created_at": org.created_at.isoformat()}


class OrganizationList(ApiView):
    @extend_schema(operation_id="organizations_list", responses=list_of(KIND, OrganizationAttributes))
    def get(self, request):
        orgs = self.credential.organizations()
        return Response({"data": [envelopes.resource(KIND, o.pk, attributes(o)) for o in orgs],
                         "links": {"self": request.build_absolute_uri(), "next": None, "prev": None},
                         "meta": {"count": len(orgs), "page": 1, "page_size": len(orgs)}})


class OrganizationDetail(ApiView):
    @extend_schema(operation_id="organizations_retrieve", responses=envelope_of(KIND, OrganizationAttributes))
    def get(self, request, slug):
        org = self.actor(slug).organization
        return Response(envelopes.one(KIND, org.pk, attributes(org)))

    @extend_schema(operation_id="organizations_update",
                   request=envelope_of(KIND, OrganizationUpdateSerializer, "OrganizationUpdate"),
                   responses=envelope_of(KIND, OrganizationAttributes))
    def patch(self, request, slug):
        actor = self.actor(slug)
        org = actor.organization
        body = OrganizationUpdateSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        d = body.validated_data
        org = organization_update(actor=actor, name=d.get("name", org.name), timezone_name=d.get("timezone", org.timezone),
                                  wiflight_user_domain=d.get("wiflight_user_domain", org.wiflight_user_domain),
                                  max_passengers=d.get("max_passengers"),
                                  passengers_block_bookings=d.get("passengers_block_bookings"),
                                  **{setting: d.get(setting) for setting in DAY_SETTINGS})
        return Response(envelopes.one(KIND, org.pk, attributes(org)))
