"""Notifications as received: stored durably before we acknowledge, processed by a task."""

from django.db import models

from clubs.models import Organization


class FlightNotification(models.Model):
    """One (flight, reservation) match Wi-Flight told us about, body kept byte for byte.

    The unique constraint is the de-duplication: Wi-Flight delivers at least once, so a
    retry of an acknowledged notification meets the existing row and changes nothing.
    """

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="flight_notifications")
    wiflight_flight_id = models.CharField(max_length=64)
    reservation_name = models.CharField(max_length=200)
    notification_id = models.CharField(max_length=64, blank=True)
    body = models.BinaryField()
    received_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # When a failed processing is tried again by the sweep (backoff); None: not scheduled.
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            # Per club: one club's notifications can never shadow another's.
            models.UniqueConstraint(fields=["organization", "wiflight_flight_id", "reservation_name"],
                                    name="notification_unique_match"),
        ]
        indexes = [models.Index(fields=["state", "received_at"], name="notification_state")]

    def __str__(self) -> str:
        return f"flight {self.wiflight_flight_id} / {self.reservation_name}"


class ReconciliationRun(models.Model):
    """One walk of Wi-Flight's flight index for a club: the window and what it found."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="reconciliation_runs")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    flights_listed = models.PositiveIntegerField(default=0)
    flights_ingested = models.PositiveIntegerField(default=0)
    ingested_ids = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(window_end__gte=models.F("window_start")),
                                              name="reconcile_window_order")]

    @property
    def succeeded(self) -> bool:
        return self.finished_at is not None and not self.error
