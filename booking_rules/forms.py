"""The booking rules settings and a member's qualifications: friendly messages here; the
services (booking_rules.services, clubs.services.member_documents_update) are the guarantee."""

from decimal import Decimal

from django import forms

from booking_rules.models import RULES, Level
from booking_rules.services import RulesInput
from dispatch.models import Aircraft

RULE_LABELS = {
    "licence": "Licence", "medical": "Medical", "flight_review": "Flight review",
    "aircraft_checkout": "Aircraft checkout", "recency": "Recency", "credit_limit": "Credit limit",
    "active_bookings": "Active bookings", "horizon": "Booking horizon", "length": "Booking length",
    "solo_endorsement": "Solo endorsement",
}
# The parameter each rule reads, shown beside it.
PARAMETERS = {"recency": "recency_days", "active_bookings": "max_active_bookings", "horizon": "horizon_days",
              "length": "max_length_hours"}


class RulesForm(forms.Form):
    recency_days = forms.IntegerField(min_value=1, max_value=3650, label="Recency: days",
                                      help_text="The type flown (with a landing) within this many days.")
    max_active_bookings = forms.IntegerField(min_value=1, max_value=500, label="Active bookings: at most",
                                             help_text="Bookings still to fly, per member.")
    horizon_days = forms.IntegerField(min_value=1, max_value=3650, label="Horizon: days ahead",
                                      help_text="How far ahead a booking may start.")
    max_length_hours = forms.DecimalField(min_value=Decimal("0.5"), max_value=Decimal("744"), max_digits=4,
                                          decimal_places=1, label="Length: hours at most",
                                          help_text="The longest booking, in hours (to a tenth).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for rule, description in RULES.items():
            self.fields[rule] = forms.ChoiceField(choices=Level.choices, label=RULE_LABELS[rule], help_text=description,
                                                  widget=forms.RadioSelect)

    @staticmethod
    def initial_from(rules) -> dict:
        return {name: getattr(rules, name) for name in [*RULES, *PARAMETERS.values()]}

    def rows(self):
        """Each rule with its level field and the parameter it reads (if any), for the page."""
        return [(self[rule], self[PARAMETERS[rule]] if rule in PARAMETERS else None) for rule in RULES]

    def to_input(self) -> RulesInput:
        return RulesInput(**{name: self.cleaned_data[name] for name in [*RULES, *PARAMETERS.values()]})


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocumentsForm(forms.Form):
    licence_expires_on = forms.DateField(required=False, widget=DATE, label="Licence expires on")
    medical_expires_on = forms.DateField(required=False, widget=DATE, label="Medical expires on")
    flight_review_expires_on = forms.DateField(required=False, widget=DATE, label="Flight review expires on",
                                               help_text="Leave a date empty when it is not on file.")


class CheckoutForm(forms.Form):
    aircraft = forms.ModelChoiceField(queryset=Aircraft.objects.none(), required=False,
                                      empty_label="Choose an aircraft (or give a type)")
    aircraft_type = forms.CharField(required=False, max_length=60, label="Or every aircraft of the type",
                                    help_text="For example “Robin DR400”.")
    note = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aircraft"].queryset = Aircraft.objects.filter(organization=club, retired_at__isnull=True).order_by(
            "registration")

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("aircraft")) == bool((data.get("aircraft_type") or "").strip()):
            raise forms.ValidationError("Give an aircraft or a type, not both.", code="checkout_target_required")
        return data


class EndorsementForm(forms.Form):
    expires_on = forms.DateField(widget=DATE, label="Endorsed until", error_messages={"required": "Give an expiry date."})
    aircraft_type = forms.CharField(required=False, max_length=60, label="Only on the type",
                                    help_text="Leave empty for any type.")
    note = forms.CharField(required=False, max_length=200)


class RevokeForm(forms.Form):
    note = forms.CharField(required=False, max_length=200, label="Why (optional)")
