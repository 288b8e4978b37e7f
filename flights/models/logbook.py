"""The pilot's flight log: one entry per (flight, crew member), created by whichever comes
first, the detected flight or the booking's check-in."""

from django.db import models
from django.db.models import Q

from clubs.models import Membership, Organization
from dispatch.models import Aircraft, Booking


class LogbookEntry(models.Model):
    """Prefilled from the detected flight or the check-in record (Hobbs time); the pilot
    completes remarks and approaches. Once billed (`billed_at`), only admins change it, and
    each change is audited (flights.policy says who may)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="logbook_entries")
    # Null while the entry comes from a check-in only; the flight detected later for the
    # same booking completes this entry rather than adding a second one.
    flight = models.ForeignKey("flights.Flight", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="log_entries")
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="log_entries")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="logbook_entries")
    date = models.DateField()
    aircraft = models.ForeignKey(Aircraft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    registration = models.CharField(max_length=16)
    pilot_in_command = models.CharField(max_length=150, blank=True)
    other_crew = models.CharField(max_length=300, blank=True)
    role = models.CharField(max_length=16, blank=True)
    departure = models.CharField(max_length=8, blank=True)
    arrival = models.CharField(max_length=8, blank=True)
    block_minutes = models.PositiveIntegerField()
    # Unknown (null) for an entry from a check-in alone: the Hobbs meter runs with the engine.
    air_minutes = models.PositiveIntegerField(null=True, blank=True)
    landings = models.PositiveIntegerField(default=0)
    approaches = models.PositiveIntegerField(default=0)
    remarks = models.TextField(blank=True, max_length=2000)
    completed_at = models.DateTimeField(null=True, blank=True)
    billed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["flight", "membership"], condition=Q(flight__isnull=False),
                                    name="logbook_one_entry_per_flight_member"),
            models.UniqueConstraint(fields=["booking", "membership"], condition=Q(flight__isnull=True),
                                    name="logbook_one_flightless_entry_per_booking_member"),
            models.CheckConstraint(condition=Q(air_minutes__isnull=True) | Q(air_minutes__lte=models.F("block_minutes") + 1),
                                   name="logbook_air_within_block"),
        ]
        indexes = [models.Index(fields=["membership", "-date"], name="logbook_member_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.registration} {self.departure}-{self.arrival}"

    @property
    def is_billed(self) -> bool:
        return self.billed_at is not None

    @staticmethod
    def hours(minutes: int) -> str:
        return f"{minutes // 60}:{minutes % 60:02d}"
