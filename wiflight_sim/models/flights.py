"""Aircraft and the flights their recorders upload, with the matches to reservations."""

import json

from django.db import models


class Aircraft(models.Model):
    tail = models.CharField(max_length=20, unique=True)
    model = models.CharField(max_length=100, blank=True)
    fleet = models.ForeignKey("wiflight_sim.Fleet", on_delete=models.PROTECT, related_name="aircraft")
    home_airport = models.CharField(max_length=8, default="CYRO")

    def __str__(self) -> str:
        return self.tail


class Flight(models.Model):
    aircraft = models.ForeignKey(Aircraft, on_delete=models.PROTECT, related_name="flights")
    start = models.DateTimeField(db_index=True)  # engine on
    length = models.PositiveIntegerField()  # seconds, engine on to engine off
    engine_ontime = models.PositiveIntegerField()
    airtime = models.PositiveIntegerField()
    takeoff_offset = models.PositiveIntegerField(null=True)
    landing_offset = models.PositiveIntegerField(null=True)
    departure = models.CharField(max_length=40, blank=True)
    arrival = models.CharField(max_length=40, blank=True)
    headline = models.CharField(max_length=200)
    max_altitude = models.FloatField()
    min_altitude = models.FloatField()
    max_agl = models.FloatField()
    max_groundspeed = models.FloatField()
    max_climb = models.FloatField()
    max_descent = models.FloatField()
    # [[t, lat, lon, alt, agl, gs, vs, head, az, rpm], ...]: one column, not a row per point,
    # because a flight's track is written once and always read as a whole or a window.
    track_json = models.TextField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(length__gt=0), name="flight_length_positive")]

    @property
    def track(self) -> list[list[float]]:
        return json.loads(self.track_json)

    @property
    def end(self):
        from datetime import timedelta

        return self.start + timedelta(seconds=self.length)


class FlightMatch(models.Model):
    """A flight claimed by a reservation. At most one per (flight, domain): the contract's rule."""

    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="matches")
    reservation = models.ForeignKey("wiflight_sim.Reservation", on_delete=models.PROTECT, related_name="matches")
    domain = models.CharField(max_length=200)
    matched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["flight", "domain"], name="one_match_per_flight_domain")]
