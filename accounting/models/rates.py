"""What an aircraft and an instructor's time cost."""

from django.db import models
from django.db.models import Q

from accounting.models.accounts import MONEY
from clubs.models import Membership
from dispatch.models import Aircraft


class BillingBasis(models.TextChoices):
    HOBBS = "hobbs", "Hobbs time"
    TACH = "tach", "Tach time"
    ENGINE = "engine", "Wi-Flight engine time"
    AIRTIME = "airtime", "Wi-Flight airtime (plus a taxi allowance)"

    @classmethod
    def from_recorder(cls, basis: str) -> bool:
        return basis in (cls.ENGINE, cls.AIRTIME)


class AircraftTerms(models.Model):
    """How an aircraft's time is billed. Its member rate is the aircraft's `hourly_rate`; a
    student or non-member rate left empty is the member rate."""

    aircraft = models.OneToOneField(Aircraft, on_delete=models.CASCADE, related_name="billing_terms")
    basis = models.CharField(max_length=8, choices=BillingBasis.choices, default=BillingBasis.HOBBS)
    wet = models.BooleanField(default=True, help_text="Fuel is included in the rate: fuel a pilot buys is credited back.")
    taxi_allowance_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Added to each flight's airtime when billing on airtime.")
    minimum_hours = models.DecimalField(max_digits=5, decimal_places=2, default=0,
                                        help_text="A flight is billed at least this many hours.")
    student_rate = models.DecimalField(**MONEY, null=True, blank=True)
    non_member_rate = models.DecimalField(**MONEY, null=True, blank=True)

    class Meta:
        verbose_name_plural = "aircraft terms"
        constraints = [
            models.CheckConstraint(condition=Q(minimum_hours__gte=0), name="terms_minimum_not_negative"),
            models.CheckConstraint(condition=Q(student_rate__gte=0) | Q(student_rate__isnull=True),
                                   name="terms_student_rate_not_negative"),
            models.CheckConstraint(condition=Q(non_member_rate__gte=0) | Q(non_member_rate__isnull=True),
                                   name="terms_non_member_rate_not_negative"),
            models.CheckConstraint(condition=Q(taxi_allowance_minutes__lte=120), name="terms_taxi_allowance_bounded"),
        ]


class InstructorRate(models.Model):
    instructor = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="instructor_rate")
    flight_rate = models.DecimalField(**MONEY, default=0)
    ground_rate = models.DecimalField(**MONEY, default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(flight_rate__gte=0) & Q(ground_rate__gte=0),
                                   name="instructor_rates_not_negative"),
        ]
