"""Reminders by email: each planned once (its key is unique), then sent by the beat."""

from django.db import models


class Reminder(models.Model):
    """One email to one member about one thing. `key` names the thing and its moment (a
    booking and its start, a document and its expiry date, a grounding and when it began):
    the unique constraint is what makes a reminder go out once, whatever the beat does after a
    restart. Planned as pending, claimed by one sender, then sent or failed."""

    class Kind(models.TextChoices):
        BOOKING_TOMORROW = "booking_tomorrow", "A booking tomorrow"
        DOCUMENT_EXPIRING = "document_expiring", "A document expiring"
        AIRCRAFT_GROUNDED = "aircraft_grounded", "An aircraft grounded under a booking"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey("clubs.Organization", on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey("clubs.Membership", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    key = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="reminder_status_created")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "membership"], name="reminder_once"),
        ]
