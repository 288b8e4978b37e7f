"""The filter form of the club's bookings list (a GET form: every value comes from the URL)."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from clubs.models import Membership, Organization
from core.query_params import EARLIEST, LATEST
from dispatch.models import Aircraft, Booking
from dispatch.selectors import DISPLAY_NAME_FIELDS


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html, in Python."""
    return mark_safe("".join(  # noqa: S308 - each part is format_html's
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items() if value is not False))


class ListSelect(forms.Select):
    """forms.Select writing the HTML of Django's select.html and select_option.html itself: the
    member and aircraft lists are a hundred options, and a template render for each was a
    fifth of the bookings page's time. tests/dispatch/test_list_render.py holds it to Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs_html(widget["attrs"]))]
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(format_html('\n  <option value="{}"{}>{}</option>\n', option["value"],
                                     _attrs_html(option["attrs"]), option["label"]) for option in options)
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is format_html's


class BookingSearchForm(forms.Form):
    q = forms.CharField(label="Member or registration", required=False, max_length=100, strip=True)
    aircraft = forms.ModelChoiceField(queryset=Aircraft.objects.none(), required=False, empty_label="Any aircraft",
                                      widget=ListSelect,
                                      error_messages={"invalid_choice": "There is no such aircraft in this club."})
    member = forms.ModelChoiceField(queryset=Membership.objects.none(), required=False, empty_label="Anyone",
                                    widget=ListSelect,
                                    error_messages={"invalid_choice": "There is no such member in this club."})
    status = forms.ChoiceField(choices=[("", "Any status"), *Booking.Status.choices], required=False, widget=ListSelect,
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
        # Only what the options show: the whole rows were most of the options' cost.
        self.fields["aircraft"].queryset = (Aircraft.objects.filter(organization=organization).order_by("registration")
                                            .only("pk", "organization_id", "registration", "retired_at"))
        self.fields["aircraft"].label_from_instance = lambda a: a.registration + (" (retired)" if a.is_retired else "")
        self.fields["member"].queryset = (Membership.objects.people().filter(organization=organization)
                                          .select_related("user").only("pk", "organization_id", *DISPLAY_NAME_FIELDS))
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
