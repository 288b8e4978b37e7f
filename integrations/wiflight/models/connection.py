"""A club's Wi-Flight connection: where, who, which domains, notification secrets."""

import hashlib

from django.conf import settings
from django.db import models

from core.crypto import decrypt_text, encrypt_text
from clubs.models import Organization


def default_match_domain(organization: Organization) -> str:
    """Unique to this installation and club, so two Flightlines (or two clubs) sharing an
    aircraft never compete for its flights (docs/wiflight.md, "domains")."""
    installation = hashlib.sha256(f"flightline-installation:{settings.SECRET_KEY}".encode()).hexdigest()[:8]
    return f"flightline-{installation}-{organization.slug}"


class WiFlightConnection(models.Model):
    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="wiflight")
    enabled = models.BooleanField(default=False)
    base_url = models.URLField(default="https://www.wi-flight.net")
    username = models.CharField("fleet administrator username", max_length=150, blank=True)
    password_encrypted = models.TextField(blank=True)
    name_domain = models.CharField(
        "reservation name domain", max_length=120, blank=True,
        help_text="Reservation names end in @this-domain (a namespace Wi-Flight gave your fleet admin account).")
    match_domain = models.CharField(
        "matching domain", max_length=120,
        help_text="The domain attribute of every booking reservation: bookings in one domain compete for a flight.")
    notify_profile = models.CharField(max_length=80, blank=True,
                                      help_text="The notify profile Wi-Flight registered for this club (optional).")
    maintenance_enabled = models.BooleanField("maintenance subscription", default=False)
    maintenance_domain = models.CharField(max_length=120, blank=True)
    # Notifications from Wi-Flight to us (HTTP Basic user + secret; the previous secret keeps
    # working during a rotation).
    notify_username = models.CharField(max_length=80, default="wiflight")
    notify_secret_encrypted = models.TextField(blank=True)
    notify_previous_secret_encrypted = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Wi-Flight for {self.organization}"

    @property
    def password(self) -> str:
        return decrypt_text(self.password_encrypted)

    def set_password(self, raw: str) -> None:
        self.password_encrypted = encrypt_text(raw)

    @property
    def is_ready(self) -> bool:
        return bool(self.enabled and self.base_url and self.username and self.password_encrypted and self.name_domain)

    @property
    def notify_secret(self) -> str:
        return decrypt_text(self.notify_secret_encrypted)

    @property
    def notify_previous_secret(self) -> str:
        return decrypt_text(self.notify_previous_secret_encrypted)

    @property
    def notify_rotation_in_progress(self) -> bool:
        return bool(self.notify_previous_secret_encrypted)

    def reservation_name(self, local_id: str) -> str:
        return f"{local_id}@{self.name_domain}"

    def effective_maintenance_domain(self) -> str:
        return self.maintenance_domain or f"{self.match_domain}-maintenance"
