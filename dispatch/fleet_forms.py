"""Forms of the fleet pages: adding and editing aircraft, grounding them."""

from decimal import Decimal

from django import forms

from dispatch.models import Aircraft
from dispatch.services.fleet import AircraftInput


class AircraftForm(forms.Form):
    registration = forms.CharField(max_length=16)
    aircraft_type = forms.CharField(max_length=60, label="Type")
    kind = forms.ChoiceField(choices=Aircraft.Kind.choices)
    home_base = forms.CharField(max_length=8, required=False)
    hourly_rate = forms.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0"))
    has_wiflight_recorder = forms.BooleanField(required=False, initial=True, label="Carries a Wi-Flight recorder")

    def to_input(self) -> AircraftInput:
        return AircraftInput(**self.cleaned_data)


class GroundForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="Shown to dispatchers and pilots who try to book it.")
