"""Forms of the fleet pages: adding and editing aircraft, grounding and retiring them."""

from decimal import Decimal

from django import forms

from dispatch.models import Aircraft
from dispatch.services.fleet import AircraftInput

EDITABLE_FIELDS = ("registration", "aircraft_type", "kind", "home_base", "hourly_rate", "has_wiflight_recorder")


class AircraftForm(forms.Form):
    registration = forms.CharField(max_length=16)
    aircraft_type = forms.CharField(max_length=60, label="Type")
    kind = forms.ChoiceField(choices=Aircraft.Kind.choices)
    home_base = forms.CharField(max_length=8, required=False)
    hourly_rate = forms.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0"))
    # Off unless asked for: an aircraft Wi-Flight does not know gets every reservation refused
    # ("403 Cannot reserve this aircraft"), so ticking it is a deliberate step (then test the
    # connection from the Wi-Flight settings).
    has_wiflight_recorder = forms.BooleanField(required=False, initial=False, label="Carries a Wi-Flight recorder")

    def to_input(self) -> AircraftInput:
        return AircraftInput(**{f: self.cleaned_data[f] for f in EDITABLE_FIELDS})


class AircraftCreateForm(AircraftForm):
    """Adding an aircraft also takes its meters; after that only check-ins move them."""

    hobbs = forms.DecimalField(max_digits=8, decimal_places=1, min_value=Decimal("0"), initial=Decimal("0"),
                               required=False, label="Starting Hobbs", help_text="The Hobbs meter now; the first check-out starts from it.")
    tach = forms.DecimalField(max_digits=8, decimal_places=1, min_value=Decimal("0"), initial=Decimal("0"),
                              required=False, label="Starting tach")

    def to_input(self) -> AircraftInput:
        meters = {f: self.cleaned_data[f] if self.cleaned_data[f] is not None else Decimal("0") for f in ("hobbs", "tach")}
        return AircraftInput(**{f: self.cleaned_data[f] for f in EDITABLE_FIELDS}, **meters)


class GroundForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="Shown to dispatchers and pilots who try to book it.")


class RetireForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False, help_text="Kept in the audit log, for example \"Sold\".")


class MetersForm(forms.Form):
    hobbs = forms.DecimalField(max_digits=8, decimal_places=1, min_value=Decimal("0"), label="Hobbs")
    tach = forms.DecimalField(max_digits=8, decimal_places=1, min_value=Decimal("0"), label="Tach")
    reason = forms.CharField(max_length=200, help_text="For example \"Hobbs meter replaced\". Kept in the audit log.")
