"""Notify profiles (programmed by Wi-Flight staff on request) and the durable outbox."""

from django.db import models
from django.utils import timezone


class NotifyProfile(models.Model):
    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=500)
    basic_user = models.CharField(max_length=200, blank=True)
    basic_password = models.CharField(max_length=200, blank=True)
    hmac_secret = models.CharField(max_length=200, blank=True)
    signature_header = models.CharField(max_length=100, default="X-WiFlight-Signature")
    enabled = models.BooleanField(default=True)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "url": self.url,
            "basic_user": self.basic_user,
            "hmac": bool(self.hmac_secret),
            "signature_header": self.signature_header,
            "enabled": self.enabled,
        }


class Notification(models.Model):
    PENDING = "pending"
    DELIVERED = "delivered"

    profile = models.ForeignKey(NotifyProfile, on_delete=models.PROTECT, related_name="notifications")
    flight = models.ForeignKey("wiflight_sim.Flight", on_delete=models.CASCADE, related_name="notifications")
    reservation = models.ForeignKey("wiflight_sim.Reservation", on_delete=models.CASCADE, related_name="notifications")
    body = models.BinaryField()  # the XML as queued at match time, sent byte for byte on each try
    status = models.CharField(max_length=10, default=PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_status = models.PositiveSmallIntegerField(null=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["flight", "reservation"], name="one_notification_per_match")]

    def as_dict(self) -> dict:
        return {
            "id": self.pk,
            "profile": self.profile.name,
            "flight": self.flight_id,
            "reservation": self.reservation.name,
            "status": self.status,
            "attempts": self.attempts,
            "next_attempt_at": self.next_attempt_at.isoformat(),
            "last_status": self.last_status,
            "last_error": self.last_error,
            "delivered_at": self.delivered_at.isoformat() if self.delivered_at else None,
        }
