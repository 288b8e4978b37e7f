"""/organizations/<slug>/flight-logs: the flight log. Entries come from detected flights and
check-ins, and are recorded here by external logbooks and devices (the reference's own
example: {"date": "2024-01-15", "aircraft": "N12345", "duration": 1.5})."""

from decimal import ROUND_HALF_UP, Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api import envelopes
from api.base import ApiView
from api.filters import in_feed_order, parsed
from api.fields import AwareDateTimeField, IdField, PlainCharField, StrictDateField, StrictSerializer
from api.lookups import aircraft_by_registration, member_with_id
from api.schema import envelope_of, list_of
from core.errors import NotFound
from flights.models import LogbookEntry
from flights.policy import visible_entries
from flights.services.logbook import logbook_update
from flights.services.manual_entries import ManualEntryInput, logbook_entry_create, logbook_entry_delete

KIND = "flight_log"


def _minutes(hours: Decimal | None) -> int | None:
    return None if hours is None else int((hours * 60).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _hours(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


class FlightLogCreateSerializer(StrictSerializer):
    date = StrictDateField()
    aircraft = PlainCharField(max_length=16, help_text="The registration (the club's aircraft or any other).")
    duration = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.01"),
                                        max_value=Decimal("24"), help_text="Block time in hours (1.5 = 1 h 30).")
    air_duration = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0"),
                                            max_value=Decimal("24"), required=False, allow_null=True,
                                            help_text="Air time in hours, when known.")
    member = IdField(required=False, help_text="Whose log (a member id); the caller's own when left out.")
    departure = PlainCharField(max_length=8, required=False, allow_blank=True, default="")
    arrival = PlainCharField(max_length=8, required=False, allow_blank=True, default="")
    landings = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    approaches = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    pilot_in_command = PlainCharField(max_length=150, required=False, allow_blank=True, default="")
    role = PlainCharField(max_length=16, required=False, allow_blank=True, default="")
    remarks = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FlightLogUpdateSerializer(StrictSerializer):
    remarks = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    approaches = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    landings = serializers.IntegerField(min_value=0, max_value=1000, required=False)


class FlightLogAttributes(serializers.Serializer):
    date = serializers.DateField()
    aircraft = serializers.CharField(help_text="The registration.")
    aircraft_id = serializers.CharField(allow_null=True)
    duration = serializers.FloatField(help_text="Block time in hours.")
    air_duration = serializers.FloatField(allow_null=True)
    member_id = serializers.CharField()
    member = serializers.CharField(help_text="The member's name.")
    pilot_in_command = serializers.CharField(allow_blank=True)
    other_crew = serializers.CharField(allow_blank=True)
    role = serializers.CharField(allow_blank=True)
    departure = serializers.CharField(allow_blank=True)
    arrival = serializers.CharField(allow_blank=True)
    landings = serializers.IntegerField()
    approaches = serializers.IntegerField()
    remarks = serializers.CharField(allow_blank=True)
    flight_id = serializers.CharField(allow_null=True)
    booking_id = serializers.CharField(allow_null=True)
    source = serializers.ChoiceField(choices=["flight", "check_in", "recorded"])
    billed = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class FlightLogFilters(serializers.Serializer):
    start = StrictDateField(required=False, help_text="Entries on or after this date (YYYY-MM-DD).")
    end = StrictDateField(required=False, help_text="Entries on or before this date.")
    aircraft = serializers.CharField(required=False, max_length=16, help_text="Registration.")
    member = IdField(required=False)
    changed_since = AwareDateTimeField(required=False)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=envelopes.MAX_PAGE_SIZE)


def attributes(entry: LogbookEntry) -> dict:
    source = "flight" if entry.flight_id else "check_in" if entry.booking_id else "recorded"
    return {
        "date": entry.date.isoformat(), "aircraft": entry.registration,
        "aircraft_id": str(entry.aircraft_id) if entry.aircraft_id else None,
        "duration": _hours(entry.block_minutes), "air_duration": _hours(entry.air_minutes),
        "member_id": str(entry.membership_id), "member": entry.membership.user.display_name,
        "pilot_in_command": entry.pilot_in_command, "other_crew": entry.other_crew, "role": entry.role,
        "departure": entry.departure, "arrival": entry.arrival, "landings": entry.landings,
        "approaches": entry.approaches, "remarks": entry.remarks,
        "flight_id": str(entry.flight_id) if entry.flight_id else None,
        "booking_id": str(entry.booking_id) if entry.booking_id else None,
        "source": source, "billed": entry.is_billed,
        "created_at": entry.created_at.isoformat(), "updated_at": entry.updated_at.isoformat(),
    }


def _listing(actor):
    return visible_entries(actor).select_related("membership__user")


def _entry_for(actor, pk: int) -> LogbookEntry:
    entry = _listing(actor).filter(pk=pk).first()
    if entry is None:
        raise NotFound("entry_not_found", "No such flight log entry.")
    return entry


class FlightLogList(ApiView):
    @extend_schema(operation_id="flight_logs_list", parameters=[FlightLogFilters],
                   responses=list_of(KIND, FlightLogAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        f = parsed(request, FlightLogFilters)
        qs = _listing(actor)
        if "start" in f:
            qs = qs.filter(date__gte=f["start"])
        if "end" in f:
            qs = qs.filter(date__lte=f["end"])
        if "aircraft" in f:
            qs = qs.filter(registration__iexact=f["aircraft"].replace(" ", ""))
        if "member" in f:
            qs = qs.filter(membership_id=f["member"])
        qs = in_feed_order(qs, f, "-date", "-pk")
        return Response(envelopes.page_of(request, qs, kind=KIND, attributes=attributes))

    @extend_schema(operation_id="flight_logs_create",
                   request=envelope_of(KIND, FlightLogCreateSerializer, "FlightLogCreate"),
                   responses={201: envelope_of(KIND, FlightLogAttributes)})
    def post(self, request, slug):
        actor = self.actor(slug)
        body = FlightLogCreateSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        d = body.validated_data
        entry = logbook_entry_create(actor=actor, data=ManualEntryInput(
            date=d["date"], registration=d["aircraft"], aircraft=aircraft_by_registration(actor, d["aircraft"]),
            block_minutes=_minutes(d["duration"]), air_minutes=_minutes(d.get("air_duration")),
            member=member_with_id(actor, d["member"]) if "member" in d else None,
            departure=d["departure"], arrival=d["arrival"], landings=d["landings"], approaches=d["approaches"],
            pilot_in_command=d["pilot_in_command"], role=d["role"], remarks=d["remarks"]))
        return Response(envelopes.one(KIND, entry.pk, attributes(_entry_for(actor, entry.pk))), status=201)


class FlightLogDetail(ApiView):
    @extend_schema(operation_id="flight_logs_retrieve", responses=envelope_of(KIND, FlightLogAttributes))
    def get(self, request, slug, pk):
        entry = _entry_for(self.actor(slug), pk)
        return Response(envelopes.one(KIND, entry.pk, attributes(entry)))

    @extend_schema(operation_id="flight_logs_update",
                   request=envelope_of(KIND, FlightLogUpdateSerializer, "FlightLogUpdate"),
                   responses=envelope_of(KIND, FlightLogAttributes))
    def patch(self, request, slug, pk):
        actor = self.actor(slug)
        entry = _entry_for(actor, pk)
        body = FlightLogUpdateSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        d = body.validated_data
        logbook_update(actor=actor, entry=entry, remarks=d.get("remarks", entry.remarks),
                       approaches=d.get("approaches", entry.approaches), landings=d.get("landings", entry.landings))
        return Response(envelopes.one(KIND, entry.pk, attributes(_entry_for(actor, entry.pk))))

    @extend_schema(operation_id="flight_logs_destroy", responses={204: None})
    def delete(self, request, slug, pk):
        actor = self.actor(slug)
        logbook_entry_delete(actor=actor, entry=_entry_for(actor, pk))
        return Response(status=204)
