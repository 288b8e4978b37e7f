"""The pilot completes a flight-log entry."""

from django import forms


class LogbookEntryForm(forms.Form):
    landings = forms.IntegerField(min_value=0, max_value=200)
    approaches = forms.IntegerField(min_value=0, max_value=200, initial=0)
    remarks = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
