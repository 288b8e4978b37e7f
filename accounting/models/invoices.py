"""Invoices and credit notes, their numbered lines, and the charge each flown booking gets."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounting.models.accounts import MONEY, Account
from clubs.models import Organization
from dispatch.models import Booking


class FlightCharge(models.Model):
    """A flown booking is billed once: this row says it was, and what it was priced on. Its
    lines (InvoiceLine.charge) follow every later fact (meters corrected, the flight
    detected, reassigned): a draft line is replaced, an issued one is credited."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="flight_charges")
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="charge")
    basis = models.CharField(max_length=8)
    hours = models.DecimalField(max_digits=7, decimal_places=2)
    # What it was priced on (meters, recorder times, flights), for the treasurer to check.
    facts = models.JSONField(default=dict)
    priced_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Invoice(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", "Invoice"
        CREDIT_NOTE = "credit_note", "Credit note"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invoices")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INVOICE)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    # Given when issued, in sequence, never reused: a draft has none.
    number = models.CharField(max_length=24, blank=True)
    currency = models.CharField(max_length=3)
    # Signed: an invoice's lines add up to what the member owes, a credit note's to a
    # negative amount (what is given back).
    total = models.DecimalField(**MONEY, default=0)
    # A credit note names the invoice it corrects, when it corrects one.
    credits = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes")
    notes = models.CharField(max_length=300, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    due_on = models.DateField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status"], name="invoice_org_status"),
            models.Index(fields=["organization", "issued_at"], name="invoice_org_issued"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], condition=~Q(number=""),
                                    name="invoice_number_unique_per_club"),
            # Charges pile onto one open draft per account and kind.
            models.UniqueConstraint(fields=["account", "kind"], condition=Q(status="draft"),
                                    name="invoice_one_draft_per_account"),
            models.CheckConstraint(condition=Q(status="draft") | ~Q(number=""), name="invoice_issued_has_number"),
            models.CheckConstraint(condition=Q(kind="invoice", total__gte=0) | Q(kind="credit_note", total__lte=0)
                                   | Q(status="draft"), name="invoice_total_sign"),
        ]

    def __str__(self) -> str:
        return self.number or f"Draft {self.get_kind_display().lower()} #{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def counts(self) -> bool:
        """In the member's balance: issued (or since paid), not a draft, not void."""
        return self.status in (self.Status.ISSUED, self.Status.PAID)

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE


class InvoiceLine(models.Model):
    class Kind(models.TextChoices):
        AIRCRAFT = "aircraft", "Aircraft time"
        INSTRUCTOR_FLIGHT = "instructor_flight", "Instruction in flight"
        INSTRUCTOR_GROUND = "instructor_ground", "Ground instruction"
        FUEL_CREDIT = "fuel_credit", "Fuel credit"
        EXPENSE = "expense", "Expense reimbursed"
        CORRECTION = "correction", "Correction"
        MANUAL = "manual", "Other"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=9, decimal_places=2, default=1)
    unit_price = models.DecimalField(**MONEY, default=0)
    amount = models.DecimalField(**MONEY)
    # A line billed for a flown booking: which charge, and which part of it (aircraft,
    # instructor_flight, ...). Manual lines and expenses have none.
    charge = models.ForeignKey(FlightCharge, null=True, blank=True, on_delete=models.PROTECT, related_name="lines")
    part = models.CharField(max_length=20, blank=True)
    expense = models.OneToOneField("accounting.Expense", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="line")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position_unique"),
            models.CheckConstraint(condition=Q(charge__isnull=True) | ~Q(part=""), name="invoice_line_charge_has_part"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.description}"


__all__ = ["FlightCharge", "Invoice", "InvoiceLine"]
