"""The form an instructor (or a dispatcher, for any instructor) marks available hours with.
Times are club-local wall-clock times; the service is the guarantee."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from clubs.models import Membership
from dispatch.services import rules


class AvailabilityForm(forms.Form):
    instructor = forms.ModelChoiceField(queryset=Membership.objects.none(), required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"))
    end = forms.TimeField(label="To", widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
                          help_text="Until midnight: 00:00.")
    note = forms.CharField(max_length=120, required=False)

    def __init__(self, *args, membership: Membership, instructors, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        if instructors is None:
            del self.fields["instructor"]
        else:
            self.fields["instructor"].queryset = instructors
            self.fields["instructor"].required = True
            self.fields["instructor"].label_from_instance = lambda m: m.user.display_name

    def clean_day(self):
        day = self.cleaned_data["day"]
        if not rules.EARLIEST_DAY <= day <= rules.LATEST_DAY - timedelta(days=1):
            raise forms.ValidationError(rules.TIME_OUT_OF_RANGE, code="time_out_of_range")
        return day

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        # Only 00:00 means "until midnight"; any other "to" before "from" is a typing mistake.
        if start is not None and end is not None and end <= start and end != time(0):
            self.add_error("end", forms.ValidationError(
                "The hours must end after they start (00:00 for midnight).", code="period_invalid"))
        return data

    def period(self) -> tuple[datetime, datetime]:
        day, tz = self.cleaned_data["day"], self.membership.organization.tz
        start = timezone.make_aware(datetime.combine(day, self.cleaned_data["start"]), tz)
        end_day = day if self.cleaned_data["end"] > self.cleaned_data["start"] else day + timedelta(days=1)
        end = timezone.make_aware(datetime.combine(end_day, self.cleaned_data["end"]), tz)
        return start, end

    def chosen_instructor(self) -> Membership:
        return self.cleaned_data.get("instructor") or self.membership
