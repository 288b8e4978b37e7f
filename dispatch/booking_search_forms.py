"""The filter form of the club's bookings list (a GET form: every value comes from the URL)."""

from django import forms

from clubs.models import Membership, Organization
from core.query_params import EARLIEST, LATEST
from dispatch.models import Aircraft, Booking


class BookingSearchForm(forms.Form):
    q = forms.CharField(label="Member or registration", required=False, max_length=100, strip=True)
    aircraft = forms.ModelChoiceField(queryset=Aircraft.objects.none(), required=False, empty_label="Any aircraft",
                                      error_messages={"invalid_choice": "There is no such aircraft in this club."})
    member = forms.ModelChoiceField(queryset=Membership.objects.none(), required=False, empty_label="Anyone",
                                    error_messages={"invalid_choice": "There is no such member in this club."})
    status = forms.ChoiceField(choices=[("", "Any status"), *Booking.Status.choices], required=False,
                               error_messages={"invalid_choice": "Choose a status from the list."})
    page = forms.IntegerField(required=False, min_value=1, max_value=10**9, widget=forms.HiddenInput,
                              error_messages={"invalid": "The page must be a whole number.",
                                              "min_value": "Pages start at 1.",
                                              "max_value": "There is no such page."})

    def __init__(self, data, *, organization: Organization):
        super().__init__(data)
        # "from" is a Python keyword, so the two date fields are added here, under their URL names.
        dates = {"widget": forms.DateInput(attrs={"type": "date"}), "required": False,
                 "error_messages": {"invalid": "Enter a date as YYYY-MM-DD."}}
        self.fields = {"q": self.fields["q"], "from": forms.DateField(label="From", **dates),
                       "to": forms.DateField(label="To", **dates), **{k: v for k, v in self.fields.items() if k != "q"}}
        self.fields["aircraft"].queryset = Aircraft.objects.filter(organization=organization).order_by("registration")
        self.fields["aircraft"].label_from_instance = lambda a: a.registration + (" (retired)" if a.is_retired else "")
        self.fields["member"].queryset = (Membership.objects.people().filter(organization=organization)
                                          .select_related("user"))
        self.fields["member"].label_from_instance = lambda m: m.user.display_name

    def _day(self, name: str):
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(f"Choose a date between {EARLIEST.year} and {LATEST.year}.", code="out_of_range")
        return day

    def clean_from(self):
        return self._day("from")

    def clean_to(self):
        return self._day("to")

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", forms.ValidationError("The end date is before the start date.", code="range_reversed"))
        return data
