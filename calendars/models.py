"""Club events beside the bookings, and the private iCalendar feeds members subscribe to."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ClubEvent(models.Model):
    class Kind(models.TextChoices):
        GROUND_SCHOOL = "ground_school", "Ground school"
        MEETING = "meeting", "Meeting"
        FLY_IN = "fly_in", "Fly-in"
        OTHER = "other", "Other"

    organization = models.ForeignKey("clubs.Organization", on_delete=models.CASCADE, related_name="club_events")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    location = models.CharField(max_length=120, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    # An instructor who teaches it (ground school): shown on their row of the board.
    instructor = models.ForeignKey("clubs.Membership", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["organization", "start"], name="club_event_org_start")]
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="club_event_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A private iCalendar address: a member's (their bookings and the club's events) or an
    aircraft's (its bookings and maintenance), one per subscriber. The token is the
    credential: only its SHA-256 is stored, it is shown once, and a new one revokes the old."""

    organization = models.ForeignKey("clubs.Organization", on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey("clubs.Membership", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="calendar_feeds")
    aircraft = models.ForeignKey("dispatch.Aircraft", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(membership__isnull=False, aircraft__isnull=True)
                                   | Q(membership__isnull=True, aircraft__isnull=False), name="feed_of_member_or_aircraft"),
            models.UniqueConstraint(fields=["membership"], condition=Q(revoked_at__isnull=True, membership__isnull=False),
                                    name="feed_one_live_per_member"),
            # Each subscriber has their own address for an aircraft: revoking one's own never
            # cuts the others off.
            models.UniqueConstraint(fields=["aircraft", "created_by"],
                                    condition=Q(revoked_at__isnull=True, aircraft__isnull=False),
                                    name="feed_one_live_per_aircraft_and_subscriber"),
        ]

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
