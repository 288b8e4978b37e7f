"""Forms of the billing-terms pages. Amounts are parsed here and judged by accounting.services.terms
(its ranges and messages are written there once)."""

from django import forms

from accounting.models import BillingBasis, MemberGroup
from accounting.models.accounts import HoursStep, MoneyStep
from core.currencies import currency_choices


def _money(label: str, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(max_digits=12, decimal_places=3, label=label, required=required, help_text=help_text)


class BillingSettingsForm(forms.Form):
    currency = forms.ChoiceField(choices=currency_choices,
                                 help_text="It cannot change once the club has an invoice.")
    hours_step = forms.ChoiceField(choices=HoursStep.choices, label="Round billed time to")
    money_step = forms.ChoiceField(choices=MoneyStep.choices, label="Round amounts to")
    payment_terms_days = forms.IntegerField(label="Payment terms (days)")
    invoice_prefix = forms.CharField(max_length=40, label="Invoice number prefix")
    credit_note_prefix = forms.CharField(max_length=40, label="Credit note number prefix")
    credit_limit_member = _money("Credit limit, members", False, "Left empty: no limit.")
    credit_limit_student = _money("Credit limit, students", False, "Left empty: no limit.")
    credit_limit_non_member = _money("Credit limit, non-members", False, "Left empty: no limit.")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"currency": data["currency"], "hours_step": data["hours_step"], "money_step": data["money_step"],
                "payment_terms_days": data["payment_terms_days"], "invoice_prefix": data["invoice_prefix"],
                "credit_note_prefix": data["credit_note_prefix"],
                "credit_limits": {g: data[f"credit_limit_{g}"] for g in MemberGroup.values}}


class AircraftTermsForm(forms.Form):
    basis = forms.ChoiceField(choices=BillingBasis.choices, label="Billed on")
    wet = forms.BooleanField(required=False, label="Wet (fuel included: fuel a pilot buys is credited back)")
    taxi_allowance_minutes = forms.IntegerField(label="Taxi allowance (minutes)",
                                                help_text="Added to each flight's airtime when billing on airtime.")
    minimum_hours = forms.DecimalField(max_digits=5, decimal_places=2, label="Minimum hours per flight")
    member_rate = _money("Member rate per hour", help_text="The aircraft's hourly rate.")
    student_rate = _money("Student rate per hour", False, "Left empty: the member rate.")
    non_member_rate = _money("Non-member rate per hour", False, "Left empty: the member rate.")


class InstructorRateForm(forms.Form):
    flight_rate = _money("Flight rate per hour")
    ground_rate = _money("Ground rate per hour")


class AccountForm(forms.Form):
    group = forms.ChoiceField(choices=MemberGroup.choices)
    credit_limit = _money("Credit limit", False, "Left empty: the group's limit.")
