"""Bookings, their crew, and the check-out/check-in record of each."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Func, Q

from dispatch.constraints import PostgresExclusionConstraint
from clubs.models import Membership, Organization

from .fleet import Aircraft


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = models.DateTimeField()


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        DISPATCHED = "dispatched", "Dispatched"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Purpose(models.TextChoices):
        TRAINING = "training", "Training"
        RENTAL = "rental", "Rental / private"
        CHECKRIDE = "checkride", "Check ride"
        INTRO = "intro", "Introductory flight"
        MAINTENANCE = "maintenance", "Maintenance / ferry"
        OTHER = "other", "Other"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="bookings")
    aircraft = models.ForeignKey(Aircraft, on_delete=models.PROTECT, related_name="bookings")
    # The stable identifier Wi-Flight knows this booking by (reservation <uid>@<domain>).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.RENTAL)
    notes = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    # What the club's booking rules said at the last check (booking or check-out): warnings,
    # and blocks a dispatcher overrode. [{"code", "level", "message", "overridden"}].
    rule_findings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["organization", "start"], name="booking_org_start"),
            models.Index(fields=["aircraft", "start", "end"], name="booking_aircraft_period"),
            # The API's changed_since feed of one club, in its order (bench/scale.py).
            models.Index(fields=["organization", "updated_at", "id"], name="booking_org_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_ends_after_start"),
            # Two racing dispatchers cannot both book one aircraft for overlapping times.
            # '[)' makes back-to-back bookings (one ends 10:00, next starts 10:00) legal.
            PostgresExclusionConstraint(
                name="booking_aircraft_no_overlap",
                expressions=[
                    ("aircraft", RangeOperators.EQUAL),
                    (TsTzRange("start", "end", models.Value("[)")), RangeOperators.OVERLAPS),
                ],
                condition=~Q(status="cancelled"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aircraft} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    @property
    def duration_hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


class BookingCrew(models.Model):
    class Role(models.TextChoices):
        PIC = "pic", "Pilot in command"
        INSTRUCTOR = "instructor", "Instructor"
        STUDENT = "student", "Student"
        PASSENGER = "passenger", "Passenger"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="crew")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="crew_slots")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["booking", "role"]
        # A member's own bookings, read from the index alone (bench/scale.py).
        indexes = [models.Index(fields=["membership", "booking"], name="crew_member_booking")]
        constraints = [
            models.UniqueConstraint(fields=["booking", "membership"], name="crew_member_once_per_booking"),
            models.UniqueConstraint(fields=["booking"], condition=Q(role="pic"), name="crew_one_pic_per_booking"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user.display_name} ({self.get_role_display()})"


class SquawkSeverity(models.TextChoices):
    """How bad a reported defect is (the maintenance app keeps the squawks themselves)."""
    MINOR = "minor", "Minor: note it, keep flying"
    DEFERRED = "deferred", "Deferred: flyable, shown at every check-out"
    GROUNDING = "grounding", "Grounding: not airworthy until maintenance clears it"


class Dispatch(models.Model):
    """The check-out and check-in of one booking: who, when, and the meter readings."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="dispatch")
    checked_out_at = models.DateTimeField()
    checked_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    hobbs_out = models.DecimalField(max_digits=8, decimal_places=1)
    tach_out = models.DecimalField(max_digits=8, decimal_places=1)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hobbs_in = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    tach_in = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    squawks = models.TextField(blank=True, max_length=4000)
    squawk_severity = models.CharField(max_length=16, choices=SquawkSeverity.choices, default=SquawkSeverity.MINOR)
    # Told at check-in, billed by accounting: fuel the crew bought and paid for themselves
    # (credited back on a wet rate) and the ground instruction given with the flight.
    fuel_cost = models.DecimalField(max_digits=12, decimal_places=3, default=Decimal("0"))
    ground_hours = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0"))
    correction_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(hobbs_in__isnull=True) | Q(hobbs_in__gte=F("hobbs_out")), name="dispatch_hobbs_forward"),
            models.CheckConstraint(condition=Q(tach_in__isnull=True) | Q(tach_in__gte=F("tach_out")), name="dispatch_tach_forward"),
            models.CheckConstraint(condition=Q(hobbs_out__gte=0) & Q(tach_out__gte=0), name="dispatch_readings_not_negative"),
            models.CheckConstraint(condition=Q(fuel_cost__gte=0) & Q(ground_hours__gte=0) & Q(ground_hours__lte=24),
                                   name="dispatch_fuel_and_ground_bounded"),
        ]

    @property
    def hobbs_hours(self) -> Decimal | None:
        return None if self.hobbs_in is None else self.hobbs_in - self.hobbs_out

    @property
    def tach_hours(self) -> Decimal | None:
        return None if self.tach_in is None else self.tach_in - self.tach_out


class InstructorAvailability(models.Model):
    """Hours an instructor has marked as available to teach: shown on the board's instructor
    rows beside their bookings."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="instructor_hours")
    instructor = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="available_hours")
    start = models.DateTimeField()
    end = models.DateTimeField()
    note = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "instructor availability"
        indexes = [models.Index(fields=["organization", "start"], name="availability_org_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="availability_ends_after_start"),
        ]
