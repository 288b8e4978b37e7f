"""Forms of the maintenance pages: items, sign-offs, squawks and maintenance's answer to one.

The forms parse; the services decide (maintenance.services.*): a refusal comes back as a
code with its field and is shown on the form (core.form_errors.add_service_error)."""

from decimal import Decimal

from django import forms

from dispatch.models import SquawkSeverity
from maintenance.models import MaintenanceItem
from maintenance.services.items import PRESETS, ItemInput

HOURS = {"max_digits": 8, "decimal_places": 1, "min_value": Decimal("0")}


class ItemForm(forms.Form):
    kind = forms.ChoiceField(choices=MaintenanceItem.Kind.choices)
    name = forms.CharField(max_length=80, required=False,
                           help_text="Left empty, the kind's usual name (for example \"100-hour inspection\").")
    interval_hours = forms.DecimalField(required=False, label="Every (hours)", **HOURS)
    interval_months = forms.IntegerField(required=False, min_value=1, max_value=240, label="Every (months)",
                                         help_text="Give hours, months or both: whichever comes first.")
    tolerance_hours = forms.DecimalField(initial=Decimal("0"), label="Tolerance (hours)",
                                         help_text="How far past the hours it may be flown to reach the inspection.",
                                         **HOURS)
    due_soon_hours = forms.DecimalField(initial=Decimal("10"), label="Warn this many hours before", **HOURS)
    due_soon_days = forms.IntegerField(initial=30, min_value=0, max_value=366, label="Warn this many days before")
    next_due_hours = forms.DecimalField(required=False, label="Next due at (hours)", **HOURS)
    next_due_on = forms.DateField(required=False, label="Next due on", widget=forms.DateInput(attrs={"type": "date"}))
    grounds_when_overdue = forms.BooleanField(required=False, initial=True, label="Grounds the aircraft when overdue")

    def to_input(self) -> ItemInput:
        d = self.cleaned_data
        name = (d["name"] or "").strip() or PRESETS.get(d["kind"], {}).get("name", "")
        return ItemInput(kind=d["kind"], name=name, interval_hours=d["interval_hours"],
                         interval_months=d["interval_months"], tolerance_hours=d["tolerance_hours"],
                         due_soon_hours=d["due_soon_hours"], due_soon_days=d["due_soon_days"],
                         next_due_hours=d["next_due_hours"], next_due_on=d["next_due_on"],
                         grounds_when_overdue=d["grounds_when_overdue"])

    @staticmethod
    def initial_for(item: MaintenanceItem) -> dict:
        return {f: getattr(item, f) for f in ("kind", "name", "interval_hours", "interval_months", "tolerance_hours",
                                               "due_soon_hours", "due_soon_days", "next_due_hours", "next_due_on",
                                               "grounds_when_overdue")}


class RemoveForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="Kept in the audit log.")


class SignOffForm(forms.Form):
    done_on = forms.DateField(label="Done on", widget=forms.DateInput(attrs={"type": "date"}))
    done_hours = forms.DecimalField(required=False, label="Done at (hours)", **HOURS)
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class SquawkForm(forms.Form):
    description = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                                  label="What is wrong")
    severity = forms.ChoiceField(choices=SquawkSeverity.choices, initial=SquawkSeverity.MINOR)
    # A FileField, not an ImageField: the service checks the image (check_photo) and says so
    # with its own code.
    photo = forms.FileField(required=False, label="Photo (optional)",
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))


class SquawkClearForm(forms.Form):
    note = forms.CharField(max_length=500, label="What was done", widget=forms.Textarea(attrs={"rows": 2}))


class SquawkRateForm(forms.Form):
    severity = forms.ChoiceField(choices=SquawkSeverity.choices)
    note = forms.CharField(max_length=500, label="Why", widget=forms.Textarea(attrs={"rows": 2}))
