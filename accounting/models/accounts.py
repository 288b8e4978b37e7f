"""The club's billing settings and each member's account."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from clubs.models import Membership, Organization

MONEY = {"max_digits": 12, "decimal_places": 3}


class HoursStep(models.TextChoices):
    TENTH = "0.1", "Tenths of an hour (6 minutes)"
    TWENTIETH = "0.05", "Twentieths of an hour (3 minutes)"
    HUNDREDTH = "0.01", "Hundredths of an hour"


class MoneyStep(models.TextChoices):
    CENT = "0.01", "0.01"
    FIVE_CENTS = "0.05", "0.05"
    TEN_CENTS = "0.10", "0.10"
    UNIT = "1", "1"


class MemberGroup(models.TextChoices):
    MEMBER = "member", "Member"
    STUDENT = "student", "Student"
    NON_MEMBER = "non_member", "Non-member"


class BillingSettings(models.Model):
    """How a club bills: rounding (half-up, written once in accounting.money), numbering,
    payment terms and the credit limit of each member group. The currency is the
    organization's (`Organization.currency`)."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="billing")
    hours_step = models.CharField(max_length=4, choices=HoursStep.choices, default=HoursStep.TENTH,
                                  help_text="Billed time is rounded (half-up) to this step.")
    money_step = models.CharField(max_length=4, choices=MoneyStep.choices, default=MoneyStep.CENT,
                                  help_text="Amounts are rounded (half-up) to this step.")
    payment_terms_days = models.PositiveSmallIntegerField(default=30, help_text="An issued invoice is due after this many days.")
    invoice_prefix = models.CharField(max_length=12, default="INV-")
    credit_note_prefix = models.CharField(max_length=12, default="CN-")
    next_invoice_number = models.PositiveIntegerField(default=1)
    next_credit_note_number = models.PositiveIntegerField(default=1)
    credit_limit_member = models.DecimalField(**MONEY, null=True, blank=True,
                                              help_text="Left empty: no limit.")
    credit_limit_student = models.DecimalField(**MONEY, null=True, blank=True)
    credit_limit_non_member = models.DecimalField(**MONEY, null=True, blank=True)

    class Meta:
        verbose_name_plural = "billing settings"
        constraints = [
            models.CheckConstraint(condition=Q(credit_limit_member__gte=0) | Q(credit_limit_member__isnull=True),
                                   name="billing_member_limit_not_negative"),
            models.CheckConstraint(condition=Q(credit_limit_student__gte=0) | Q(credit_limit_student__isnull=True),
                                   name="billing_student_limit_not_negative"),
            models.CheckConstraint(condition=Q(credit_limit_non_member__gte=0) | Q(credit_limit_non_member__isnull=True),
                                   name="billing_non_member_limit_not_negative"),
        ]

    @property
    def hours_quantum(self) -> Decimal:
        return Decimal(self.hours_step)

    @property
    def money_quantum(self) -> Decimal:
        return Decimal(self.money_step)

    def group_credit_limit(self, group: str) -> Decimal | None:
        return getattr(self, f"credit_limit_{group}")


class Account(models.Model):
    """A member's account with the club: what they owe or hold in credit. Its row is the lock
    every money change of that member takes first, so two of them never interleave."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="accounts")
    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="account")
    group = models.CharField(max_length=16, choices=MemberGroup.choices, default=MemberGroup.MEMBER)
    # Overrides the group's limit; empty: the group's.
    credit_limit = models.DecimalField(**MONEY, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["membership__user__full_name", "membership__user__username"]
        constraints = [
            models.CheckConstraint(condition=Q(credit_limit__gte=0) | Q(credit_limit__isnull=True),
                                   name="account_limit_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Account of {self.membership.user.display_name}"
