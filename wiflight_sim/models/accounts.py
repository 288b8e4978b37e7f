"""Wi-Flight accounts: end users, fleet managers and fleet administrators, and their sessions."""

import hashlib

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone


class Fleet(models.Model):
    name = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.name


class SimUser(models.Model):
    END_USER = "end_user"
    FLEET_MANAGER = "fleet_manager"
    FLEET_ADMIN = "fleet_admin"
    ROLES = [(END_USER, "End user"), (FLEET_MANAGER, "Fleet manager"), (FLEET_ADMIN, "Fleet administrator")]

    username = models.CharField(max_length=200, unique=True)
    role = models.CharField(max_length=20, choices=ROLES, default=END_USER)
    password_hash = models.CharField(max_length=200, blank=True)  # blank: OpenID-only account
    fullname = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    fleet = models.ForeignKey(Fleet, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["end_user", "fleet_manager", "fleet_admin"]), name="simuser_role_valid"
            )
        ]

    def __str__(self) -> str:
        return self.username

    def set_password(self, raw: str | None) -> None:
        self.password_hash = make_password(raw) if raw else ""

    def check_password(self, raw: str) -> bool:
        return bool(self.password_hash) and check_password(raw, self.password_hash)

    @property
    def sees_fleet(self) -> bool:
        return self.role in (self.FLEET_MANAGER, self.FLEET_ADMIN) and self.fleet_id is not None

    def owns_name(self, name: str) -> bool:
        """True when `name` ends in one of this fleet administrator's designated domains."""
        if self.role != self.FLEET_ADMIN or "@" not in name:
            return False
        suffix = name.rsplit("@", 1)[1].lower()
        return self.domains.filter(domain=suffix).exists()


class NameDomain(models.Model):
    """A name suffix (`example.com` for `@example.com`) a fleet administrator may use."""

    user = models.ForeignKey(SimUser, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=200, unique=True)

    def save(self, *args, **kwargs):
        self.domain = self.domain.lstrip("@").lower()
        super().save(*args, **kwargs)


class UserOpenID(models.Model):
    user = models.ForeignKey(SimUser, on_delete=models.CASCADE, related_name="openids")
    claimed_id = models.CharField(max_length=500, unique=True)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SimSession(models.Model):
    """A `gasn-session` cookie; only its SHA-256 is stored, so the table leaks no live cookie."""

    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(SimUser, on_delete=models.CASCADE, related_name="sessions")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def is_live(self, now=None) -> bool:
        return self.expires_at > (now or timezone.now())
