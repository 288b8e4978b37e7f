"""The durable queue of reservation changes: one row per Wi-Flight reservation."""

from django.db import models
from django.db.models import F, Q

from dispatch.models import Aircraft, Booking
from clubs.models import Organization


class ReservationSync(models.Model):
    """One row per Wi-Flight reservation: the version we want there and the version it has.

    Every booking write bumps `wanted_version` in its own transaction. A worker claims the row
    with a lease, builds the document from the *current* booking (so many edits become one
    PUT of the latest state), sends it outside any transaction and records which version it
    sent. Changes to one reservation go out in order because one row has one lease.
    """

    class Kind(models.TextChoices):
        BOOKING = "booking", "Booking"
        MAINTENANCE = "maintenance", "Maintenance subscription"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SYNCED = "synced", "Synced"
        FAILED = "failed", "Failed, will retry"
        DEAD = "dead", "Gave up"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="reservation_syncs")
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    booking = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="wiflight_sync")
    aircraft = models.ForeignKey(Aircraft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    wanted_version = models.PositiveIntegerField(default=1)
    synced_version = models.PositiveIntegerField(default=0)
    # Whether the last version sent was a deletion (so the board can say "removed").
    synced_deleted = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    pending_since = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="sync_due"),
            models.Index(fields=["organization", "state"], name="sync_org_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(synced_version__lte=F("wanted_version")), name="sync_version_order"),
            models.CheckConstraint(
                condition=Q(kind="booking", aircraft__isnull=True) | Q(kind="maintenance", booking__isnull=True),
                name="sync_kind_target"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_synced(self) -> bool:
        return self.state == self.State.SYNCED
