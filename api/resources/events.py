"""The Calendar group: /organizations/<slug>/events (club events beside the bookings: ground
school, meetings, fly-ins; calendars.services writes them, admins, dispatchers and instructors
may) and /organizations/<slug>/instructor-availability (the hours instructors marked
available, read only). Every member of the club reads both."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api import envelopes
from api.base import ApiView
from api.fields import AwareDateTimeField, IdField, PlainCharField, StrictSerializer
from api.filters import parsed
from api.lookups import member_with_id
from api.schema import envelope_of, list_of
from calendars.models import ClubEvent
from calendars.services import EventInput, event_cancel, event_create, event_update
from clubs.policy import require_active
from core.errors import NotFound
from dispatch.models import InstructorAvailability

KIND = "event"
AVAILABILITY = "instructor_availability"


class EventWriteSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ClubEvent.Kind.choices, default=ClubEvent.Kind.OTHER)
    title = PlainCharField(max_length=120)
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    description = serializers.CharField(max_length=2000, allow_blank=True, default="")
    location = PlainCharField(max_length=120, allow_blank=True, default="")
    instructor = IdField(required=False, allow_null=True, default=None,
                         help_text="The instructor who teaches it (a member id), shown on their row of the board.")


class EventAttributes(serializers.Serializer):
    uid = serializers.CharField(help_text="Its UID in the iCalendar feeds.")
    kind = serializers.ChoiceField(choices=ClubEvent.Kind.choices)
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    location = serializers.CharField(allow_blank=True)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    instructor_id = serializers.CharField(allow_null=True)
    cancelled = serializers.BooleanField()
    cancelled_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WindowFilters(serializers.Serializer):
    start = AwareDateTimeField(required=False, help_text="What ends after this time.")
    end = AwareDateTimeField(required=False, help_text="What starts before this time.")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=envelopes.MAX_PAGE_SIZE)


class EventFilters(WindowFilters):
    kind = serializers.ChoiceField(choices=ClubEvent.Kind.choices, required=False)
    include_cancelled = serializers.BooleanField(required=False, default=False,
                                                 help_text="Cancelled events too (left out unless asked).")


class AvailabilityFilters(WindowFilters):
    instructor = IdField(required=False, help_text="One instructor's (a member id).")


class AvailabilityAttributes(serializers.Serializer):
    instructor_id = serializers.CharField()
    instructor = serializers.CharField(help_text="The instructor's name.")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    note = serializers.CharField(allow_blank=True)


def attributes(e: ClubEvent) -> dict:
    return {"uid": str(e.uid), "kind": e.kind, "title": e.title, "description": e.description, "location": e.location,
            "start": e.start.isoformat(), "end": e.end.isoformat(),
            "instructor_id": str(e.instructor_id) if e.instructor_id else None,
            "cancelled": e.cancelled_at is not None, "cancelled_at": e.cancelled_at.isoformat() if e.cancelled_at else None,
            "created_at": e.created_at.isoformat(), "updated_at": e.updated_at.isoformat()}


def availability_attributes(a: InstructorAvailability) -> dict:
    return {"instructor_id": str(a.instructor_id), "instructor": a.instructor.user.display_name,
            "start": a.start.isoformat(), "end": a.end.isoformat(), "note": a.note}


def _in_window(qs, f: dict):
    if "start" in f:
        qs = qs.filter(end__gt=f["start"])
    if "end" in f:
        qs = qs.filter(start__lt=f["end"])
    return qs


def _events(actor):
    require_active(actor)
    return ClubEvent.objects.filter(organization_id=actor.organization_id)


def _event_for(actor, pk: int) -> ClubEvent:
    found = _events(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("event_not_found", "No such event.")
    return found


def _input(actor, d: dict) -> EventInput:
    instructor = member_with_id(actor, d["instructor"], field="instructor") if d.get("instructor") else None
    return EventInput(kind=d["kind"], title=d["title"], start=d["start"], end=d["end"], description=d["description"],
                      location=d["location"], instructor=instructor)


class EventList(ApiView):
    @extend_schema(operation_id="events_list", tags=["Calendar"], parameters=[EventFilters],
                   responses=list_of(KIND, EventAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        f = parsed(request, EventFilters)
        qs = _in_window(_events(actor), f)
        if "kind" in f:
            qs = qs.filter(kind=f["kind"])
        if not f.get("include_cancelled"):
            qs = qs.filter(cancelled_at__isnull=True)
        return Response(envelopes.page_of(request, qs.order_by("start", "pk"), kind=KIND, attributes=attributes))

    @extend_schema(operation_id="events_create", tags=["Calendar"],
                   request=envelope_of(KIND, EventWriteSerializer, "EventWrite"),
                   responses={201: envelope_of(KIND, EventAttributes)})
    def post(self, request, slug):
        actor = self.actor(slug)
        body = EventWriteSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        event = event_create(actor=actor, data=_input(actor, body.validated_data))
        return Response(envelopes.one(KIND, event.pk, attributes(event)), status=201)


class EventDetail(ApiView):
    @extend_schema(operation_id="events_retrieve", tags=["Calendar"], responses=envelope_of(KIND, EventAttributes))
    def get(self, request, slug, pk):
        event = _event_for(self.actor(slug), pk)
        return Response(envelopes.one(KIND, event.pk, attributes(event)))

    @extend_schema(operation_id="events_update", tags=["Calendar"],
                   request=envelope_of(KIND, EventWriteSerializer, "EventPatch", partial=True),
                   responses=envelope_of(KIND, EventAttributes))
    def patch(self, request, slug, pk):
        actor = self.actor(slug)
        event = _event_for(actor, pk)
        changes = EventWriteSerializer(data=envelopes.attributes_of(request, KIND), partial=True)
        changes.is_valid(raise_exception=True)
        current = {"kind": event.kind, "title": event.title, "start": event.start, "end": event.end,
                   "description": event.description, "location": event.location, "instructor": event.instructor_id}
        event = event_update(actor=actor, event=event, data=_input(actor, {**current, **changes.validated_data}))
        return Response(envelopes.one(KIND, event.pk, attributes(event)))

    @extend_schema(operation_id="events_cancel", tags=["Calendar"], responses=envelope_of(KIND, EventAttributes),
                   description="Cancels the event: it stays readable (include_cancelled) and leaves the feeds.")
    def delete(self, request, slug, pk):
        actor = self.actor(slug)
        event = event_cancel(actor=actor, event=_event_for(actor, pk))
        return Response(envelopes.one(KIND, event.pk, attributes(event)))


class InstructorAvailabilityList(ApiView):
    @extend_schema(operation_id="instructor_availability_list", tags=["Calendar"], parameters=[AvailabilityFilters],
                   responses=list_of(AVAILABILITY, AvailabilityAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        require_active(actor)
        f = parsed(request, AvailabilityFilters)
        qs = _in_window(InstructorAvailability.objects.filter(organization_id=actor.organization_id), f)
        if "instructor" in f:
            qs = qs.filter(instructor_id=f["instructor"])
        qs = qs.select_related("instructor__user").order_by("start", "pk")
        return Response(envelopes.page_of(request, qs, kind=AVAILABILITY, attributes=availability_attributes))
