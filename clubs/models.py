"""Clubs (organizations), their members and roles, invitations and the audit log."""

import zoneinfo
from datetime import time

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from core.currencies import is_currency


def validate_currency(value: str) -> None:
    if not is_currency(value):
        raise ValidationError(f"{value!r} is not an ISO 4217 currency code (for example EUR, CAD, USD).")


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (for example Europe/Paris).")


class User(AbstractUser):
    """A person. What they may do depends on their membership in each club."""

    full_name = models.CharField(max_length=150, blank=True)
    # Set when the account was switched off because its last club membership was deactivated:
    # reactivating a membership may switch it back on; an account the operator disabled stays off.
    disabled_by_clubs = models.BooleanField(default=False)
    # Not a person: the account an API key acts as (api.keys). It cannot sign in (no usable
    # password), is never listed among members and never flies.
    is_service_account = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
                violation_error_message="Another account already uses this email address.",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class BookingStep(models.IntegerChoices):
    FIVE = 5, "5 minutes"
    TEN = 10, "10 minutes"
    QUARTER = 15, "15 minutes"
    HALF_HOUR = 30, "30 minutes"
    HOUR = 60, "1 hour"


class AltitudeUnit(models.TextChoices):
    FEET = "ft", "Feet (speeds in knots)"
    METRES = "m", "Metres (speeds in km/h)"


class Plan(models.TextChoices):
    STANDARD = "standard", "Standard"
    ORGANIZATION = "organization", "Organization"
    ENTERPRISE = "enterprise", "Enterprise"


class Organization(models.Model):
    """A flying club or flight school. Everything a member sees is scoped to one."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=50, unique=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # The domain that Wi-Flight crew usernames of this club end in (user@domain). The
    # Wi-Flight connection itself (credentials, queue) belongs to the sync issue.
    wiflight_user_domain = models.CharField(max_length=120, blank=True)
    # Passengers: how many a pilot or instructor may list on a booking (dispatchers may seat
    # more), and whether a passenger seat keeps the member from other bookings at that time.
    max_passengers = models.PositiveSmallIntegerField(
        default=3, help_text="Passengers a pilot or instructor may add to a booking (dispatchers may add more).")
    passengers_block_bookings = models.BooleanField(
        default=False, help_text="A member listed as a passenger cannot be booked elsewhere at the same time.")
    # Set by the site admin (Django admin), not by the club: the API's hourly request limit
    # follows the plan (settings.API_RATE_LIMITS); an enterprise club's is its own number.
    plan = models.CharField(max_length=16, choices=Plan.choices, default=Plan.STANDARD)
    api_requests_per_hour = models.PositiveIntegerField(
        null=True, blank=True, help_text="Enterprise plan only: the API requests allowed per hour.")
    # How the club runs its day (issue 12): the board's frame, the step a slot is rounded
    # to, the length a new booking or a walk-up gets, who checks aircraft out, what the
    # board shows and the units of the flight pages.
    day_starts = models.TimeField(default=time(6), help_text="The board's day view starts here.")
    day_ends = models.TimeField(default=time(22), help_text="The board's day view ends here (bookings outside still show).")
    booking_step_minutes = models.PositiveSmallIntegerField(
        choices=BookingStep.choices, default=BookingStep.HALF_HOUR,
        help_text="Times picked on the board are rounded to this step.")
    default_booking_minutes = models.PositiveSmallIntegerField(
        default=60, help_text="The length a new booking or a walk-up gets until changed.")
    pilots_self_dispatch = models.BooleanField(
        default=False, help_text="Pilots may check out and in the aircraft of their own bookings.")
    show_instructor_rows = models.BooleanField(
        default=False, help_text="The board lists instructors with their bookings and the hours they are available.")
    altitude_unit = models.CharField(max_length=2, choices=AltitudeUnit.choices, default=AltitudeUnit.FEET)
    # The club's money (accounting): every rate, invoice and payment is in this currency.
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency],
                                help_text="ISO 4217 code, for example EUR, CAD or USD.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(day_ends__gt=models.F("day_starts")),
                                   name="organization_day_ends_after_start"),
            models.CheckConstraint(condition=models.Q(default_booking_minutes__gte=5, default_booking_minutes__lte=1440),
                                   name="organization_default_booking_length"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    DISPATCHER = "dispatcher", "Dispatcher"
    TREASURER = "treasurer", "Treasurer"
    INSTRUCTOR = "instructor", "Instructor"
    PILOT = "pilot", "Pilot"
    MAINTENANCE = "maintenance", "Maintenance"
    VIEWER = "viewer", "Viewer"


ROLE_FIELDS = {role: f"is_{role.value}" for role in Role}


class MembershipQuerySet(models.QuerySet):
    def people(self):
        """Members who are persons: not the accounts API keys act as."""
        return self.filter(user__is_service_account=False)


class Membership(models.Model):
    """A user's place in one club: roles, Wi-Flight username, active or not.

    Roles are flags rather than one choice because people wear several hats (an admin who
    instructs, a dispatcher who flies).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    is_admin = models.BooleanField(default=False)
    is_dispatcher = models.BooleanField(default=False)
    # Bills the club's flying and records its money (accounting); admins may do it too.
    is_treasurer = models.BooleanField(default=False)
    is_instructor = models.BooleanField(default=False)
    is_pilot = models.BooleanField(default=True)
    is_maintenance = models.BooleanField(default=False)
    # Sees the club's bookings, flights and members and changes nothing: a treasurer, a
    # board member, a read-only API key.
    is_viewer = models.BooleanField(default=False)
    # A student's instructor: instructors book for their students and see their flights.
    instructor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="students"
    )
    wiflight_username = models.CharField(max_length=150, blank=True)
    # The member's documents, as the club keeps them (booking_rules checks them at booking and
    # at check-out; reminders warn 30 days ahead). Empty: not on file.
    licence_expires_on = models.DateField("licence expires", null=True, blank=True)
    medical_expires_on = models.DateField("medical expires", null=True, blank=True)
    flight_review_expires_on = models.DateField("flight review expires", null=True, blank=True)
    email_reminders = models.BooleanField(
        default=True, help_text="Email reminders: a booking tomorrow, documents expiring, an aircraft grounded under a booking.")
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_per_club"),
            models.UniqueConstraint(
                fields=["organization", "wiflight_username"],
                condition=~models.Q(wiflight_username=""),
                name="membership_wiflight_username_unique",
                violation_error_message="Another member of this club already has this Wi-Flight username.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.organization.slug})"

    @property
    def roles(self) -> list[str]:
        return [role.value for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    @property
    def role_labels(self) -> list[str]:
        return [role.label for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    @property
    def may(self):
        """What this member may do, for templates: `{% if membership.may.book %}`. The rules
        are clubs.policy.CAPABILITIES; nothing is decided here."""
        from clubs.policy import Capabilities

        return Capabilities(self)

    def default_wiflight_username(self) -> str:
        domain = self.organization.wiflight_user_domain
        return f"{self.user.username}@{domain}" if domain else ""


class Invitation(models.Model):
    """A one-time link that lets an invited member set their password.

    Only a SHA-256 of the token is stored: a leaked database does not leak usable links.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class AuditEvent(models.Model):
    """Who changed what in a club, and when. Written by services; read by club admins."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=32, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="audit_org_created")]

    def __str__(self) -> str:
        return self.summary
