"""Money received from a member, how it settles their invoices, and expenses reimbursed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounting.models.accounts import MONEY, Account
from accounting.models.invoices import Invoice
from clubs.models import Organization


class Payment(models.Model):
    """Money a member paid the club, recorded by the treasurer. What it does not settle yet
    stays on the account as a prepaid deposit, and settles the next invoices issued."""

    class Method(models.TextChoices):
        CASH = "cash", "Cash"
        CHEQUE = "cheque", "Cheque"
        CARD = "card", "Card"
        TRANSFER = "transfer", "Bank transfer"
        OTHER = "other", "Other"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="payments")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(**MONEY)
    method = models.CharField(max_length=12, choices=Method.choices)
    reference = models.CharField(max_length=80, blank=True)
    received_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["organization", "received_on"], name="payment_org_received")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} on {self.received_on}"

    @property
    def counts(self) -> bool:
        return self.voided_at is None


class Allocation(models.Model):
    """Part of a payment, or of an issued credit note, settling an issued invoice."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.CASCADE, related_name="allocations")
    credit_note = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="allocations_given")
    amount = models.DecimalField(**MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(condition=Q(payment__isnull=False, credit_note__isnull=True)
                                   | Q(payment__isnull=True, credit_note__isnull=False), name="allocation_one_source"),
        ]


class Expense(models.Model):
    """Money a member spent for the club (fuel bought away, a part): submitted by the member
    or recorded by the treasurer; once approved it is credited on their next invoice."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="expenses")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="expenses")
    spent_on = models.DateField()
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)
    receipt_reference = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-spent_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")]
