"""/organizations/<slug>/flights: flights detected by a recorder, read only, with their
events (takeoffs, landings) and, for a member, the link to the recorder's playback."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api import envelopes
from api.base import ApiView
from api.filters import in_feed_order, parsed
from api.fields import AwareDateTimeField, IdField
from api.lookups import aircraft_named
from api.schema import envelope_of, list_of
from core.errors import NotFound
from flights.models import Flight, FlightCrew, FlightEvent
from flights.policy import visible_flights
from flights.tracks import flight_playback_url

KIND = "flight"


class FlightEventOut(serializers.Serializer):
    kind = serializers.CharField()
    time = serializers.DateTimeField(allow_null=True)
    airport = serializers.CharField(allow_blank=True)


class FlightCrewOut(serializers.Serializer):
    member_id = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    role = serializers.CharField(allow_blank=True)


class FlightAttributes(serializers.Serializer):
    external_id = serializers.CharField(help_text="The recorder service's id of the flight.")
    source = serializers.CharField()
    aircraft = serializers.CharField(help_text="The registration (tail) the recorder reported.")
    aircraft_id = serializers.CharField(allow_null=True)
    start = serializers.DateTimeField(help_text="Engine on.")
    duration = serializers.FloatField(help_text="Engine on to off, hours.")
    air_duration = serializers.FloatField(help_text="Takeoff to landing, hours.")
    booking_id = serializers.CharField(allow_null=True)
    headline = serializers.CharField(allow_blank=True)
    crew = FlightCrewOut(many=True)
    events = FlightEventOut(many=True)
    playback_url = serializers.URLField(allow_null=True, help_text="For a member (OAuth): the recorder's playback, "
                                        "signed in. None for an API key, which is no person.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class FlightFilters(serializers.Serializer):
    start = AwareDateTimeField(required=False, help_text="Flights that started at or after this time.")
    end = AwareDateTimeField(required=False, help_text="Flights that started before this time.")
    aircraft = serializers.CharField(required=False, max_length=40)
    member = IdField(required=False)
    booking = IdField(required=False)
    changed_since = AwareDateTimeField(required=False)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=envelopes.MAX_PAGE_SIZE)


def _attributes_for(user):
    def attributes(flight: Flight) -> dict:
        return {
            "external_id": flight.wiflight_id, "source": flight.source, "aircraft": flight.tail,
            "aircraft_id": str(flight.aircraft_id) if flight.aircraft_id else None,
            "start": flight.start.isoformat(), "duration": round(flight.length_seconds / 3600, 2),
            "air_duration": round(flight.airtime_seconds / 3600, 2),
            "booking_id": str(flight.booking_id) if flight.booking_id else None, "headline": flight.headline,
            "crew": [{"member_id": str(c.membership_id) if c.membership_id else None,
                      "name": c.membership.user.display_name if c.membership_id else c.wiflight_username,
                      "role": c.role} for c in flight.crew.all()],
            "events": [{"kind": e.kind, "time": e.time.isoformat() if e.time else None, "airport": e.airport}
                       for e in flight.events.all()],
            "playback_url": None if user.is_service_account else (flight_playback_url(user, flight) or None),
            "created_at": flight.created_at.isoformat(), "updated_at": flight.updated_at.isoformat(),
        }
    return attributes


def _listing(actor):
    return (visible_flights(actor).select_related("aircraft")
            .prefetch_related(Prefetch("crew", queryset=FlightCrew.objects.select_related("membership__user")),
                              Prefetch("events", queryset=FlightEvent.objects.order_by("time", "pk"))))


class FlightList(ApiView):
    @extend_schema(operation_id="flights_list", parameters=[FlightFilters], responses=list_of(KIND, FlightAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        f = parsed(request, FlightFilters)
        qs = _listing(actor)
        if "start" in f:
            qs = qs.filter(start__gte=f["start"])
        if "end" in f:
            qs = qs.filter(start__lt=f["end"])
        if "aircraft" in f:
            qs = qs.filter(aircraft=aircraft_named(actor, f["aircraft"]))
        if "member" in f:
            qs = qs.filter(pk__in=Flight.objects.filter(crew__membership_id=f["member"]).values("pk"))
        if "booking" in f:
            qs = qs.filter(booking_id=f["booking"])
        qs = in_feed_order(qs, f, "-start", "-pk")
        return Response(envelopes.page_of(request, qs, kind=KIND, attributes=_attributes_for(actor.user)))


class FlightDetail(ApiView):
    @extend_schema(operation_id="flights_retrieve", responses=envelope_of(KIND, FlightAttributes))
    def get(self, request, slug, pk):
        actor = self.actor(slug)
        flight = _listing(actor).filter(pk=pk).first()
        if flight is None:
            raise NotFound("flight_not_found", "No such flight.")
        return Response(envelopes.one(KIND, flight.pk, _attributes_for(actor.user)(flight)))
