"""The forms of the treasurer's pages: the month and list filters (GET: every value comes from
the URL, so anything odd is a message, never a 500) and the actions (POST, each handing its
cleaned values to one service, which has the last word)."""

import re
from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils import timezone

from accounting.models import Invoice, Payment
from clubs.models import Membership, Organization

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
EARLIEST_YEAR, LATEST_YEAR = 1950, 2200
MONEY_FIELD = {"max_digits": 12, "decimal_places": 3}


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.first_day:%B %Y}"

    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def __str__(self) -> str:
        return self.slug


def parse_month(value: str | None) -> Month | None:
    """YYYY-MM, in the years the rest of the portal's date arithmetic accepts; else None."""
    found = _MONTH.match(value or "")
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    return Month(year, month) if EARLIEST_YEAR <= year <= LATEST_YEAR and 1 <= month <= 12 else None


def current_month(organization: Organization) -> Month:
    today = timezone.localdate(timezone=organization.tz)
    return Month(today.year, today.month)


def month_from_query(value: str | None, organization: Organization) -> tuple[Month, str | None]:
    """The month asked for, or the club's current month with the notice saying why."""
    if not value:
        return current_month(organization), None
    month = parse_month(value)
    if month is not None:
        return month, None
    fallback = current_month(organization)
    return fallback, f"Not a month: \u201c{value[:20]}\u201d; showing {fallback.label}."


def _members(organization: Organization):
    return Membership.objects.people().filter(organization=organization, is_active=True).select_related("user")


def _member_field(**extra) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=Membership.objects.none(),
                                   error_messages={"invalid_choice": "There is no such member in this club."}, **extra)
    field.label_from_instance = lambda m: m.user.display_name
    return field


def _page_field() -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=1, max_value=10**9, widget=forms.HiddenInput,
                              error_messages={"invalid": "The page must be a whole number.",
                                              "min_value": "Pages start at 1.", "max_value": "There is no such page."})


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *Invoice.Status.choices], required=False,
                               error_messages={"invalid_choice": "Choose a status from the list."})
    kind = forms.ChoiceField(choices=[("", "Invoices and credit notes"), *Invoice.Kind.choices], required=False,
                             error_messages={"invalid_choice": "Choose invoices or credit notes."})
    member = _member_field(required=False, empty_label="Every member")
    page = _page_field()

    def __init__(self, data, *, organization: Organization):
        super().__init__(data)
        # Former members keep their invoices: the filter offers them too.
        self.fields["member"].queryset = (Membership.objects.people().filter(organization=organization)
                                          .select_related("user"))


class PaymentFilterForm(forms.Form):
    member = _member_field(required=False, empty_label="Every member")
    page = _page_field()

    def __init__(self, data, *, organization: Organization):
        super().__init__(data)
        self.fields["member"].queryset = (Membership.objects.people().filter(organization=organization)
                                          .select_related("user"))


class ReasonForm(forms.Form):
    """Voiding an invoice or a payment: the reason goes in the audit log and to the member."""

    reason = forms.CharField(max_length=200, help_text="Kept with the record and shown in the audit log.")


class CreditForm(forms.Form):
    amount = forms.DecimalField(required=False, min_value=0, **MONEY_FIELD,
                                help_text="Leave empty to credit everything not yet credited.",
                                label="Amount to credit")
    reason = forms.CharField(max_length=200)


class InvoiceLineForm(forms.Form):
    """A line the treasurer adds to a member's draft. The price field is named `amount`, as
    the service's argument and its refusals are."""

    description = forms.CharField(max_length=200)
    quantity = forms.DecimalField(max_digits=9, decimal_places=2, initial=1, min_value=0)
    amount = forms.DecimalField(label="Unit price", **MONEY_FIELD,
                                help_text="Negative for a credit (a goodwill gesture, a refund).")


class InvoiceLineNewForm(InvoiceLineForm):
    field_order = ["member", "description", "quantity", "amount"]
    member = _member_field(help_text="The line goes on this member's draft invoice (made if they have none).")

    def __init__(self, data=None, *, organization: Organization, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["member"].queryset = _members(organization)


class PaymentForm(forms.Form):
    member = _member_field()
    amount = forms.DecimalField(min_value=0, **MONEY_FIELD)
    method = forms.ChoiceField(choices=Payment.Method.choices,
                               error_messages={"invalid_choice": "Choose cash, cheque, card, bank transfer or other."})
    reference = forms.CharField(max_length=80, required=False, help_text="A cheque number, a transfer's reference.")
    received_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"invalid": "Enter a date as YYYY-MM-DD."})
    invoice = forms.ModelChoiceField(queryset=Invoice.objects.none(), required=False, empty_label="Oldest open first",
                                     help_text="The invoice this pays first; what is left settles the oldest.",
                                     error_messages={"invalid_choice": "There is no such open invoice."})
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, data=None, *, organization: Organization, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["member"].queryset = _members(organization)
        self.fields["invoice"].queryset = (Invoice.objects.filter(
            organization=organization, kind=Invoice.Kind.INVOICE, status=Invoice.Status.ISSUED)
            .select_related("account__membership__user").order_by("issued_at", "pk"))
        self.fields["invoice"].label_from_instance = (
            lambda i: f"{i.number}, {i.account.membership.user.display_name}")
        if "received_on" not in self.initial:
            self.initial["received_on"] = timezone.localdate(timezone=organization.tz)
