"""API credentials and their request counts.

An API key acts as its own club-level account (`actor`, a service account membership):
read keys hold the Viewer role, read+write keys the Admin and Dispatcher roles, so every
service checks a key exactly as it checks a person. Only a SHA-256 of the key is stored (the
key has 256 bits of entropy; a slow hash would add nothing but latency to every request)."""

from django.conf import settings
from django.db import models
from oauth2_provider.models import AbstractApplication

from clubs.models import Membership, Organization


class ApiKey(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "read,write", "Read and write"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80)
    # The first characters of the key, shown in lists so a key can be recognised ("fl_ab12cd34…").
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(max_length=16, choices=Scope.choices, default=Scope.READ)
    actor = models.OneToOneField(Membership, on_delete=models.PROTECT, related_name="api_key")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scopes == self.Scope.WRITE

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RateLimitWindow(models.Model):
    """Requests counted in one fixed hourly window, when no Redis is configured. Incremented
    by one INSERT ... ON CONFLICT DO UPDATE (api.ratelimit), never read-then-write."""

    bucket = models.CharField(max_length=64)
    window_start = models.BigIntegerField()  # epoch seconds
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bucket", "window_start"], name="ratelimit_one_row_per_window")]


class OAuthApplication(AbstractApplication):
    """An application members of one club may authorize to act as them (authorization code
    with PKCE only), registered by that club's admin. A token acts as the member who
    authorized it, within their roles in this club (api.authentication)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="oauth_applications")

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
