"""Flights detected by a flight data recorder (Wi-Flight today), their events and crew, and
the cached GPS track."""

from django.db import models
from django.db.models import Q

from dispatch.models import Aircraft, Booking
from clubs.models import Membership, Organization


class Flight(models.Model):
    class Source(models.TextChoices):
        NOTIFICATION = "notification", "Notification"
        RECONCILIATION = "reconciliation", "Reconciliation"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="flights")
    wiflight_id = models.CharField(max_length=64)
    aircraft = models.ForeignKey(Aircraft, null=True, blank=True, on_delete=models.SET_NULL, related_name="flights")
    tail = models.CharField(max_length=16)
    start = models.DateTimeField(help_text="Engine on.")
    length_seconds = models.PositiveIntegerField()
    engine_seconds = models.PositiveIntegerField()
    airtime_seconds = models.PositiveIntegerField()
    headline = models.CharField(max_length=200, blank=True)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="flights")
    # A reservation name we do not know (deleted booking, another installation): kept for an
    # admin to assign, never dropped.
    unmatched_reservation = models.CharField(max_length=200, blank=True)
    # The crew usernames the recorder reported, as sent: assigning the flight to a booking
    # later rebuilds its crew from these without going back to the source's format.
    reported_crew = models.JSONField(default=list, blank=True)
    raw_document = models.TextField()
    source = models.CharField(max_length=16, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "wiflight_id"], name="flight_unique_per_club"),
            models.CheckConstraint(condition=Q(airtime_seconds__lte=models.F("length_seconds") + 60),
                                   name="flight_airtime_within_length"),
        ]
        indexes = [
            models.Index(fields=["organization", "-start"], name="flight_org_start"),
            models.Index(fields=["aircraft", "-start"], name="flight_aircraft_start"),
        ]

    def __str__(self) -> str:
        return f"{self.tail} {self.start:%Y-%m-%d %H:%M} ({self.headline})"

    @property
    def end(self):
        from datetime import timedelta

        return self.start + timedelta(seconds=self.length_seconds)

    @property
    def engine_hours(self) -> float:
        return self.engine_seconds / 3600

    @property
    def air_hours(self) -> float:
        return self.airtime_seconds / 3600

    @property
    def needs_assignment(self) -> bool:
        """Every flight without a booking waits for a dispatcher or an admin to link it, with
        or without a reservation name we could not place."""
        return self.booking_id is None


class FlightEvent(models.Model):
    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)
    time = models.DateTimeField(null=True, blank=True)
    offset_seconds = models.PositiveIntegerField(null=True, blank=True)
    airport = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["flight", "offset_seconds", "pk"]


class FlightCrew(models.Model):
    """Who was on board: from the matched booking's crew, and Wi-Flight's crew usernames."""

    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="crew")
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="flights_crewed")
    wiflight_username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flight", "membership"], condition=Q(membership__isnull=False),
                                    name="flight_crew_member_once"),
            models.CheckConstraint(condition=Q(membership__isnull=False) | ~Q(wiflight_username=""),
                                   name="flight_crew_identified"),
        ]


class FlightTrack(models.Model):
    """The GPS track, fetched from Wi-Flight once (in 600 s chunks) and kept."""

    flight = models.OneToOneField(Flight, on_delete=models.CASCADE, related_name="track")
    points = models.JSONField(help_text="Lists in xml.TRACK_FIELDS order.")
    fetched_at = models.DateTimeField(auto_now_add=True)
