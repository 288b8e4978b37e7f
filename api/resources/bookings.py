"""/organizations/<slug>/bookings: the calendar, with the board's rules and messages (every
write calls dispatch.services.bookings; reads ask dispatch.policy)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api import envelopes
from api.base import ApiView
from api.filters import in_feed_order, parsed
from api.fields import AwareDateTimeField, IdField, StrictSerializer
from api.lookups import aircraft_named, member_with_id
from api.schema import envelope_of, list_of
from core.errors import NotFound
from dispatch import policy
from dispatch.models import Booking, BookingCrew
from dispatch.selectors import crew_prefetch
from dispatch.services.bookings import BookingInput, booking_cancel, booking_create, booking_update

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
    }


def _listing(actor):
    return (policy.bookings_visible(actor).filter(organization_id=actor.organization_id)
            .select_related("aircraft").prefetch_related(crew_prefetch()))


def _booking_for(actor, pk: int) -> Booking:
    booking = _listing(actor).filter(pk=pk).first()
    if booking is None:
        raise NotFound("booking_not_found", "No such booking.")
    return booking


def _input(actor, data: dict) -> BookingInput:
    crew = [(member_with_id(actor, slot["member"], field="crew"), slot["role"]) for slot in data["crew"]]
    return BookingInput(aircraft=aircraft_named(actor, data["aircraft"]), start=data["start"], end=data["end"],
                        crew=crew, purpose=data["purpose"], notes=data["notes"])


def _reloaded(actor, booking: Booking) -> dict:
    return envelopes.one(KIND, booking.pk, attributes(_booking_for(actor, booking.pk)))


class BookingList(ApiView):
    @extend_schema(operation_id="bookings_list", parameters=[BookingFilters], responses=list_of(KIND, BookingAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        f = parsed(request, BookingFilters)
        qs = _listing(actor)
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
                   responses={201: envelope_of(KIND, BookingAttributes)})
    def post(self, request, slug):
        actor = self.actor(slug)
        body = BookingWriteSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        booking = booking_create(actor=actor, data=_input(actor, body.validated_data))
        return Response(_reloaded(actor, booking), status=201)


class BookingDetail(ApiView):
    @extend_schema(operation_id="bookings_retrieve", responses=envelope_of(KIND, BookingAttributes))
    def get(self, request, slug, pk):
        actor = self.actor(slug)
        booking = _booking_for(actor, pk)
        return Response(envelopes.one(KIND, booking.pk, attributes(booking)))

    @extend_schema(operation_id="bookings_update",
                   request=envelope_of(KIND, BookingWriteSerializer, "BookingPatch", partial=True),
                   responses=envelope_of(KIND, BookingAttributes))
    def patch(self, request, slug, pk):
        actor = self.actor(slug)
        booking = _booking_for(actor, pk)
        changes = BookingWriteSerializer(data=envelopes.attributes_of(request, KIND), partial=True)
        changes.is_valid(raise_exception=True)
        merged = BookingWriteSerializer(data={**_raw(booking), **_raw_changes(changes.initial_data)})
        merged.is_valid(raise_exception=True)
        booking = booking_update(actor=actor, booking=booking, data=_input(actor, merged.validated_data))
        return Response(_reloaded(actor, booking))


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
