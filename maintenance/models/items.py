"""Inspections and items due by hours, by date, or whichever comes first, and their sign-offs."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from dispatch.models import Aircraft


class MaintenanceItem(models.Model):
    """Something an aircraft must have done every so many hours and/or months. The next due
    point is kept (next_due_hours, next_due_on) and moved by each sign-off (maintenance.due
    says how). `tolerance_hours`: how far past the hours it may be flown, only to reach the
    inspection (10 h for a 100-hour)."""

    class Kind(models.TextChoices):
        HUNDRED_HOUR = "hundred_hour", "100-hour inspection"
        ANNUAL = "annual", "Annual inspection"
        OIL_CHANGE = "oil_change", "Oil change"
        ELT = "elt", "ELT battery and inspection"
        CUSTOM = "custom", "Other"

    organization = models.ForeignKey("clubs.Organization", on_delete=models.CASCADE, related_name="+")
    aircraft = models.ForeignKey(Aircraft, on_delete=models.CASCADE, related_name="maintenance_items")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=80)
    interval_hours = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    interval_months = models.PositiveSmallIntegerField(null=True, blank=True)
    tolerance_hours = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("0"))
    # When "due soon" starts showing on the fleet page and the board.
    due_soon_hours = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal("10"))
    due_soon_days = models.PositiveSmallIntegerField(default=30)
    next_due_hours = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    next_due_on = models.DateField(null=True, blank=True)
    last_done_hours = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    last_done_on = models.DateField(null=True, blank=True)
    # Overdue grounds the aircraft (an inspection); an item that only needs doing does not.
    grounds_when_overdue = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["aircraft", "kind", "name"]
        indexes = [models.Index(fields=["organization", "aircraft"], name="maint_item_org_aircraft")]
        constraints = [
            models.CheckConstraint(condition=Q(interval_hours__isnull=False) | Q(interval_months__isnull=False),
                                   name="maint_item_has_interval"),
            models.CheckConstraint(condition=Q(interval_hours__isnull=True) | Q(next_due_hours__isnull=False),
                                   name="maint_item_hours_due_known"),
            models.CheckConstraint(condition=Q(interval_months__isnull=True) | Q(next_due_on__isnull=False),
                                   name="maint_item_date_due_known"),
            models.CheckConstraint(condition=Q(interval_hours__isnull=True) | Q(interval_hours__gt=0),
                                   name="maint_item_interval_positive"),
            models.CheckConstraint(condition=Q(interval_months__isnull=True) | Q(interval_months__gt=0),
                                   name="maint_item_months_positive"),
            models.CheckConstraint(condition=Q(tolerance_hours__gte=0) & Q(due_soon_hours__gte=0),
                                   name="maint_item_margins_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.aircraft}: {self.name}"


class SignOff(models.Model):
    """An item done: by whom, when, at what hours, and where it moved the next due point."""

    item = models.ForeignKey(MaintenanceItem, on_delete=models.CASCADE, related_name="sign_offs")
    organization = models.ForeignKey("clubs.Organization", on_delete=models.CASCADE, related_name="+")
    aircraft = models.ForeignKey(Aircraft, on_delete=models.CASCADE, related_name="+")
    done_on = models.DateField()
    done_hours = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    due_hours_before = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    due_on_before = models.DateField(null=True, blank=True)
    next_due_hours = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    next_due_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-pk"]
