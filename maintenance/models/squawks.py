"""Squawks: defects reported on an aircraft, at check-in or by any member at any time."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from dispatch.models import Aircraft, Booking, SquawkSeverity


class Squawk(models.Model):
    """Open until maintenance clears it. A grounding one grounds the aircraft while open; a
    deferred one is listed at every check-out; a minor one is kept for the record."""

    Severity = SquawkSeverity

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLEARED = "cleared", "Cleared"

    organization = models.ForeignKey("clubs.Organization", on_delete=models.CASCADE, related_name="+")
    aircraft = models.ForeignKey(Aircraft, on_delete=models.CASCADE, related_name="squawk_reports")
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    description = models.TextField(max_length=2000)
    severity = models.CharField(max_length=16, choices=SquawkSeverity.choices, default=SquawkSeverity.MINOR)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    photo = models.ImageField(upload_to="squawks/%Y/%m/", null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField()
    # Maintenance's word: why a grounding squawk was deferred, how it was cleared.
    maintenance_note = models.CharField(max_length=500, blank=True)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    cleared_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["aircraft", "status"], name="squawk_aircraft_status")]
        constraints = [
            models.CheckConstraint(condition=Q(status="open") | Q(cleared_at__isnull=False), name="squawk_cleared_when"),
            # One squawk per check-in: the subscriber may see booking.completed once only, but
            # a repeat must not file it twice.
            models.UniqueConstraint(fields=["booking"], condition=Q(booking__isnull=False), name="squawk_one_per_check_in"),
        ]

    def __str__(self) -> str:
        return f"{self.aircraft}: {self.description[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
