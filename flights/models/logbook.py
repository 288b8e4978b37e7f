"""The pilot's flight log: one entry per (detected flight, crew member)."""

from django.db import models
from django.db.models import Q

from clubs.models import Membership, Organization

from dispatch.models import Aircraft


class LogbookEntry(models.Model):
    """Prefilled from the flight Wi-Flight detected; the pilot completes remarks and
    approaches. Once billed (`billed_at`), only admins change it, and each change is audited."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="logbook_entries")
    flight = models.ForeignKey("flights.Flight", on_delete=models.CASCADE, related_name="log_entries")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="logbook_entries")
    date = models.DateField()
    aircraft = models.ForeignKey(Aircraft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    registration = models.CharField(max_length=16)
    pilot_in_command = models.CharField(max_length=150, blank=True)
    other_crew = models.CharField(max_length=300, blank=True)
    role = models.CharField(max_length=16, blank=True)
    departure = models.CharField(max_length=8, blank=True)
    arrival = models.CharField(max_length=8, blank=True)
    block_minutes = models.PositiveIntegerField()
    air_minutes = models.PositiveIntegerField()
    landings = models.PositiveIntegerField(default=0)
    approaches = models.PositiveIntegerField(default=0)
    remarks = models.TextField(blank=True, max_length=2000)
    completed_at = models.DateTimeField(null=True, blank=True)
    billed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["flight", "membership"], name="logbook_one_entry_per_flight_member"),
            models.CheckConstraint(condition=Q(air_minutes__lte=models.F("block_minutes") + 1),
                                   name="logbook_air_within_block"),
        ]
        indexes = [models.Index(fields=["membership", "-date"], name="logbook_member_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.registration} {self.departure}-{self.arrival}"

    @property
    def is_billed(self) -> bool:
        return self.billed_at is not None

    def editable_by(self, membership: Membership) -> bool:
        if membership.organization_id != self.organization_id:
            return False
        if membership.is_admin:
            return True
        return not self.is_billed and membership.pk == self.membership_id

    @staticmethod
    def hours(minutes: int) -> str:
        return f"{minutes // 60}:{minutes % 60:02d}"
