"""/organizations/<slug>/bookings: the calendar, with the board's rules and messages (every
write calls dispatch.services.bookings or dispatch.services.dispatching; reads ask
dispatch.policy).

The club's booking rules answer here as on the board: a block is 409 with the rule's code,
`details.findings` and `details.overridable`; `override_reason` (dispatchers and admins)
books anyway. Each booking carries its `rule_findings` (warnings and overridden blocks); a
write that met warnings also lists them in the answer's `meta.warnings`."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api import envelopes
from api.base import ApiView
from api.filters import in_feed_order, parsed
from api.fields import AwareDateTimeField, IdField, PlainCharField, StrictSerializer
from api.lookups import aircraft_named, member_with_id
from api.schema import envelope_of, list_of
from core.errors import NotFound
from dispatch import policy
from dispatch.models import Booking, BookingCrew, SquawkSeverity
from dispatch.selectors import crew_names_prefetch, crew_prefetch
from dispatch.services.bookings import BookingInput, booking_cancel, booking_create, booking_update
from dispatch.services.checks import OVERRIDE_REASON_MAX
from dispatch.services.dispatching import booking_check_in, booking_check_out

KIND = "booking"


class CrewSlotSerializer(StrictSerializer):
    member = IdField(help_text="A member id of this organization.")
    role = serializers.ChoiceField(choices=BookingCrew.Role.choices)


class BookingWriteSerializer(StrictSerializer):
    aircraft = serializers.CharField(max_length=40, help_text="Registration (\"C-GDFA\") or aircraft id.")
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    crew = CrewSlotSerializer(many=True, allow_empty=False, max_length=20)
    purpose = serializers.ChoiceField(choices=Booking.Purpose.choices, default=Booking.Purpose.RENTAL)
    notes = serializers.CharField(max_length=2000, allow_blank=True, default="", trim_whitespace=False)
    override_reason = PlainCharField(
        max_length=OVERRIDE_REASON_MAX, allow_blank=True, default="", write_only=True,
        help_text="Books despite a blocking booking rule (dispatchers and admins; audited). Not kept on the booking.")


class RuleFindingSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The rule's refusal code (docs/errors.md), e.g. medical_expired.")
    level = serializers.ChoiceField(choices=["warn", "block"])
    message = serializers.CharField()
    overridden = serializers.BooleanField(help_text="A block a dispatcher or an admin overrode with a reason.")
    stage = serializers.ChoiceField(choices=["booking", "check_out"], allow_null=True,
                                    help_text="Where it was found: at booking or at check-out.")


class CrewOutSerializer(serializers.Serializer):
    member_id = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=BookingCrew.Role.choices)


class BookingAttributes(serializers.Serializer):
    aircraft = serializers.CharField(help_text="The registration.")
    aircraft_id = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=Booking.Status.choices)
    purpose = serializers.ChoiceField(choices=Booking.Purpose.choices)
    notes = serializers.CharField(allow_blank=True)
    crew = CrewOutSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    cancelled_at = serializers.DateTimeField(allow_null=True)
    rule_findings = RuleFindingSerializer(many=True, help_text="What the booking rules found at the last booking "
                                          "or check-out: warnings, and blocks overridden.")


class WriteMeta(serializers.Serializer):
    warnings = RuleFindingSerializer(many=True, help_text="The rules' warnings this write met (it went through).")


METERS = {"max_digits": 8, "decimal_places": 1, "min_value": Decimal("0"), "coerce_to_string": True}


class CheckOutSerializer(StrictSerializer):
    hobbs_out = serializers.DecimalField(**METERS)
    tach_out = serializers.DecimalField(**METERS)
    correction_reason = PlainCharField(max_length=300, allow_blank=True, default="",
                                              help_text="Why a reading is below the last check-in's.")
    override_reason = PlainCharField(max_length=OVERRIDE_REASON_MAX, allow_blank=True, default="",
                                            help_text="Checks out despite a blocking booking rule (dispatchers, admins).")


class CheckInSerializer(StrictSerializer):
    hobbs_in = serializers.DecimalField(**METERS)
    tach_in = serializers.DecimalField(**METERS)
    squawks = serializers.CharField(max_length=2000, allow_blank=True, default="",
                                    help_text="A defect to report: it becomes a squawk on the aircraft.")
    squawk_severity = serializers.ChoiceField(choices=SquawkSeverity.choices, default=SquawkSeverity.MINOR,
                                              help_text="grounding grounds the aircraft until maintenance clears it.")
    fuel_cost = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=Decimal("0"),
                                         default=Decimal("0"), help_text="Fuel the crew paid for, a decimal string.")
    ground_hours = serializers.DecimalField(max_digits=4, decimal_places=2, min_value=Decimal("0"),
                                            max_value=Decimal("24"), default=Decimal("0"))


class CancelSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, default="")


class BookingFilters(serializers.Serializer):
    start = AwareDateTimeField(required=False, help_text="Bookings that end after this time.")
    end = AwareDateTimeField(required=False, help_text="Bookings that start before this time.")
    aircraft = serializers.CharField(required=False, max_length=40, help_text="Registration or aircraft id.")
    member = IdField(required=False, help_text="Bookings with this member on the crew.")
    status = serializers.ChoiceField(choices=Booking.Status.choices, required=False)
    changed_since = AwareDateTimeField(required=False, help_text="Only bookings changed at or after this time "
                                       "(a change feed: cancellations included).")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=envelopes.MAX_PAGE_SIZE)


def attributes(booking: Booking) -> dict:
    return {
        "aircraft": booking.aircraft.registration, "aircraft_id": str(booking.aircraft_id),
        "start": booking.start.isoformat(), "end": booking.end.isoformat(), "status": booking.status,
        "purpose": booking.purpose, "notes": booking.notes,
        "crew": [{"member_id": str(slot.membership_id), "name": slot.membership.user.display_name, "role": slot.role}
                 for slot in booking.crew.all()],
        "created_at": booking.created_at.isoformat(), "updated_at": booking.updated_at.isoformat(),
        "cancelled_at": booking.cancelled_at.isoformat() if booking.cancelled_at else None,
        "rule_findings": [_finding(f) for f in booking.rule_findings or []],
    }


def _finding(stored: dict) -> dict:
    return {"code": stored.get("code", ""), "level": stored.get("level", "warn"), "message": stored.get("message", ""),
            "overridden": bool(stored.get("overridden")), "stage": stored.get("stage")}


def _listing(actor):
    return (policy.bookings_visible(actor).filter(organization_id=actor.organization_id)
            .select_related("aircraft").prefetch_related(crew_prefetch()))


def _list_query(actor):
    """_listing for the list, whose rows give a crew member's id, name and role only."""
    return (policy.bookings_visible(actor).filter(organization_id=actor.organization_id)
            .select_related("aircraft").prefetch_related(crew_names_prefetch()))


def _booking_for(actor, pk: int) -> Booking:
    booking = _listing(actor).filter(pk=pk).first()
    if booking is None:
        raise NotFound("booking_not_found", "No such booking.")
    return booking


def _input(actor, data: dict) -> BookingInput:
    crew = [(member_with_id(actor, slot["member"], field="crew"), slot["role"]) for slot in data["crew"]]
    return BookingInput(aircraft=aircraft_named(actor, data["aircraft"]), start=data["start"], end=data["end"],
                        crew=crew, purpose=data["purpose"], notes=data["notes"],
                        override_reason=data.get("override_reason", ""))


def _reloaded(actor, booking: Booking) -> dict:
    return envelopes.one(KIND, booking.pk, attributes(_booking_for(actor, booking.pk)))


def _written(actor, booking: Booking) -> dict:
    """The booking after a write, with the warnings it met in `meta.warnings`."""
    body = _reloaded(actor, booking)
    body["meta"] = {"warnings": [f for f in body["data"]["attributes"]["rule_findings"] if f["level"] == "warn"]}
    return body


def _written_envelope(name: str = "BookingWritten"):
    return envelope_of(KIND, BookingAttributes, name, meta=WriteMeta)


class BookingList(ApiView):
    @extend_schema(operation_id="bookings_list", parameters=[BookingFilters], responses=list_of(KIND, BookingAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        f = parsed(request, BookingFilters)
        qs = _list_query(actor)
        if "start" in f:
            qs = qs.filter(end__gt=f["start"])
        if "end" in f:
            qs = qs.filter(start__lt=f["end"])
        if "aircraft" in f:
            qs = qs.filter(aircraft=aircraft_named(actor, f["aircraft"]))
        if "member" in f:
            qs = qs.filter(pk__in=BookingCrew.objects.filter(membership_id=f["member"]).values("booking_id"))
        if "status" in f:
            qs = qs.filter(status=f["status"])
        qs = in_feed_order(qs, f, "start", "pk")
        return Response(envelopes.page_of(request, qs, kind=KIND, attributes=attributes))

    @extend_schema(operation_id="bookings_create", request=envelope_of(KIND, BookingWriteSerializer, "BookingWrite"),
                   responses={201: _written_envelope()})
    def post(self, request, slug):
        actor = self.actor(slug)
        body = BookingWriteSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        booking = booking_create(actor=actor, data=_input(actor, body.validated_data))
        return Response(_written(actor, booking), status=201)


class BookingDetail(ApiView):
    @extend_schema(operation_id="bookings_retrieve", responses=envelope_of(KIND, BookingAttributes))
    def get(self, request, slug, pk):
        actor = self.actor(slug)
        booking = _booking_for(actor, pk)
        return Response(envelopes.one(KIND, booking.pk, attributes(booking)))

    @extend_schema(operation_id="bookings_update",
                   request=envelope_of(KIND, BookingWriteSerializer, "BookingPatch", partial=True),
                   responses=_written_envelope())
    def patch(self, request, slug, pk):
        actor = self.actor(slug)
        booking = _booking_for(actor, pk)
        changes = BookingWriteSerializer(data=envelopes.attributes_of(request, KIND), partial=True)
        changes.is_valid(raise_exception=True)
        merged = BookingWriteSerializer(data={**_raw(booking), **_raw_changes(changes.initial_data)})
        merged.is_valid(raise_exception=True)
        booking = booking_update(actor=actor, booking=booking, data=_input(actor, merged.validated_data))
        return Response(_written(actor, booking))


def _raw(booking: Booking) -> dict:
    """The booking as a write body would give it, for a PATCH to merge its changes into."""
    return {"aircraft": str(booking.aircraft_id), "start": booking.start.isoformat(), "end": booking.end.isoformat(),
            "crew": [{"member": str(s.membership_id), "role": s.role} for s in booking.crew.all()],
            "purpose": booking.purpose, "notes": booking.notes}


def _raw_changes(initial: dict) -> dict:
    return {k: v for k, v in initial.items() if k in BookingWriteSerializer().fields}


class BookingCancel(ApiView):
    @extend_schema(operation_id="bookings_cancel", request=envelope_of(KIND, CancelSerializer, "BookingCancel"),
                   responses=envelope_of(KIND, BookingAttributes))
    def post(self, request, slug, pk):
        actor = self.actor(slug)
        booking = _booking_for(actor, pk)
        body = CancelSerializer(data=envelopes.attributes_of(request, KIND) if request.body else {})
        body.is_valid(raise_exception=True)
        booking = booking_cancel(actor=actor, booking=booking, reason=body.validated_data["reason"])
        return Response(_reloaded(actor, booking))


class BookingCheckOut(ApiView):
    @extend_schema(operation_id="bookings_check_out", request=envelope_of(KIND, CheckOutSerializer, "BookingCheckOut"),
                   responses=_written_envelope(),
                   description="Checks the aircraft out: the booking rules are checked again, as of now "
                               "(a medical may have lapsed since booking). Dispatchers and admins, or the "
                               "booking's pilot where the club lets pilots self-dispatch.")
    def post(self, request, slug, pk):
        actor = self.actor(slug)
        booking = _booking_for(actor, pk)
        body = CheckOutSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        d = body.validated_data
        booking = booking_check_out(actor=actor, booking=booking, hobbs_out=d["hobbs_out"], tach_out=d["tach_out"],
                                    correction_reason=d["correction_reason"], override_reason=d["override_reason"])
        return Response(_written(actor, booking))


class BookingCheckIn(ApiView):
    @extend_schema(operation_id="bookings_check_in", request=envelope_of(KIND, CheckInSerializer, "BookingCheckIn"),
                   responses=envelope_of(KIND, BookingAttributes),
                   description="Checks the aircraft in with its meters; a squawk written here is filed on the "
                               "aircraft (a grounding one grounds it).")
    def post(self, request, slug, pk):
        actor = self.actor(slug)
        booking = _booking_for(actor, pk)
        body = CheckInSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        d = body.validated_data
        booking = booking_check_in(actor=actor, booking=booking, hobbs_in=d["hobbs_in"], tach_in=d["tach_in"],
                                   squawks=d["squawks"], squawk_severity=d["squawk_severity"],
                                   fuel_cost=d["fuel_cost"], ground_hours=d["ground_hours"])
        return Response(_reloaded(actor, booking))
