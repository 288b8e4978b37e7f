"""The meter chain: every reading an aircraft's meters gave, in the order they were taken."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from dispatch.models import Aircraft, Booking


class MeterReading(models.Model):
    """One point of an aircraft's chain. Absolute readings (check-out, check-in, a correction,
    the aircraft's starting meters) carry Hobbs and tach; a flight Wi-Flight detected carries
    its engine time only, which counts for the hours until the next absolute reading
    (maintenance.chain). A reading that does not fit between its neighbours in time is
    flagged `out_of_order`, never refused: the meters are what they are, a person looks."""

    class Source(models.TextChoices):
        INITIAL = "initial", "Starting meters"
        CHECK_OUT = "check_out", "Check-out"
        CHECK_IN = "check_in", "Check-in"
        CORRECTION = "correction", "Correction"
        FLIGHT = "flight", "Wi-Flight engine time"

    organization = models.ForeignKey("clubs.Organization", on_delete=models.CASCADE, related_name="+")
    aircraft = models.ForeignKey(Aircraft, on_delete=models.CASCADE, related_name="meter_readings")
    at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=Source.choices)
    hobbs = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    tach = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    engine_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # Hours in service at this reading (maintenance.chain counts them); absolute readings only.
    hours = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    # A person's correction of the meter (a replaced or misread one): it keeps the hours
    # flown and starts the tach afresh from its reading.
    is_reset = models.BooleanField(default=False)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    flight = models.ForeignKey("flights.Flight", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    out_of_order = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["aircraft", "at"], name="meter_aircraft_at")]
        constraints = [
            models.UniqueConstraint(fields=["flight"], condition=Q(flight__isnull=False), name="meter_one_per_flight"),
            models.CheckConstraint(
                condition=(Q(source="flight") & Q(engine_hours__isnull=False) & Q(engine_hours__gte=0))
                | (~Q(source="flight") & Q(hobbs__isnull=False) & Q(tach__isnull=False) & Q(hours__isnull=False)
                   & Q(hobbs__gte=0) & Q(tach__gte=0)),
                name="meter_reading_complete"),
        ]

    def __str__(self) -> str:
        return f"{self.aircraft} {self.get_source_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def is_absolute(self) -> bool:
        return self.source != self.Source.FLIGHT
