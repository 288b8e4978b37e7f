"""Forms of the member's money pages: the statement's period, an expense, a decision on one.

They parse; the services judge (amounts, days, wording), so a refusal reads the same here as
in the API."""

from datetime import date

from django import forms

from core.query_params import EARLIEST, LATEST

MAX_STATEMENT_DAYS = 3660  # ten years: a longer statement is a mistake, not a request


class StatementPeriodForm(forms.Form):
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": "Give the first day as YYYY-MM-DD."})
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": "Give the last day as YYYY-MM-DD."})

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for name in ("start", "end"):
            if data.get(name) is not None and not EARLIEST <= data[name] <= LATEST:
                raise forms.ValidationError(f"Give days from {EARLIEST} to {LATEST}.", code="period_out_of_range")
        data["end"] = data.get("end") or self.today
        data["start"] = data.get("start") or default_start(data["end"])
        if data["start"] > data["end"]:
            raise forms.ValidationError("The first day comes after the last: swap them.", code="period_reversed")
        if (data["end"] - data["start"]).days > MAX_STATEMENT_DAYS:
            raise forms.ValidationError("Ask for ten years at most.", code="period_too_long")
        return data


def default_start(end: date) -> date:
    """The first day of the third full month before `end`'s month: three full months to `end`."""
    year, month = end.year, end.month - 3
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


class ExpenseForm(forms.Form):
    spent_on = forms.DateField(label="Day spent", widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"invalid": "Give the day as YYYY-MM-DD."})
    description = forms.CharField(max_length=200, help_text="What it was, for example \"Fuel at LFPN, F-GABC\".")
    amount = forms.DecimalField(max_digits=12, decimal_places=3)
    receipt_reference = forms.CharField(max_length=80, required=False, label="Receipt reference",
                                        help_text="The receipt's number, or where it is filed.")


class ExpenseDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.HiddenInput)
    note = forms.CharField(max_length=200, required=False, label="Note")


