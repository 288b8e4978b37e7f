"""A club's webhook endpoints and their outbox: one message per (endpoint, event)."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from clubs.models import Organization
from core.crypto import decrypt_text, encrypt_text


class WebhookEndpoint(models.Model):
    """Where a club's events go, which ones, and the secrets they are signed with.

    Secrets are stored encrypted (core/crypto.py) and shown once. During a rotation the
    previous secret signs too (each message carries both signatures) until it expires, so
    the receiver can switch at its own pace."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField("URL", max_length=500)
    description = models.CharField(max_length=120, blank=True)
    events = models.JSONField(default=list)
    is_active = models.BooleanField("active", default=True)
    # Why it was switched off by Flightline (a 410 Gone), shown on its page.
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    secret_encrypted = models.TextField()
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description or self.url

    @property
    def secret(self) -> str:
        return decrypt_text(self.secret_encrypted)

    def set_secret(self, secret: str) -> None:
        self.secret_encrypted = encrypt_text(secret)

    def rotation_in_progress(self, now: datetime) -> bool:
        return bool(self.previous_secret_encrypted and self.previous_secret_expires_at
                    and self.previous_secret_expires_at > now)

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets a message sent now is signed with: the current one, and during a
        rotation the previous one."""
        current = [self.secret]
        if self.rotation_in_progress(now):
            return current + [decrypt_text(self.previous_secret_encrypted)]
        return current

    def wants(self, event: str) -> bool:
        return self.is_active and event in self.events


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookMessage(models.Model):
    """One event for one endpoint: the outbox row, and the delivery log line it becomes.

    The body is serialized when the change is recorded, so every attempt sends the same
    bytes under the same `webhook-id` (receivers de-duplicate on it); the timestamp and the
    signature are made afresh per attempt. A worker claims the row with a lease, sends
    outside any transaction, and records the result only if the lease is still its own."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        FAILED = "failed", "Failed, will retry"
        DELIVERED = "delivered", "Delivered"
        DEAD = "dead", "Gave up"

    UNDELIVERED = (State.PENDING, State.FAILED)

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="messages")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    msg_id = models.CharField("message id", max_length=40, unique=True, default=new_message_id)
    event = models.CharField(max_length=64)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    # Messages with one key reach the endpoint in the order of their ids (catalogue.ordering_key).
    ordering_key = models.CharField(max_length=120)
    body = models.TextField()
    created_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    # When the give-up clock started: at creation, again when an admin sends it again.
    queued_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # Ours, never the exception text (it would carry the URL, whose query may be a token).
    last_error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=200, blank=True)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_due"),
            models.Index(fields=["endpoint", "ordering_key", "state"], name="webhook_order"),
            models.Index(fields=["organization", "state"], name="webhook_org_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["pending", "failed", "delivered", "dead"]),
                                   name="webhook_message_state"),
            models.CheckConstraint(condition=~Q(state="delivered") | Q(delivered_at__isnull=False),
                                   name="webhook_delivered_at"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.msg_id}"

    @property
    def may_send_again(self) -> bool:
        return self.state in (self.State.DELIVERED, self.State.DEAD)
