"""The event form: times are read in the club's zone (club_member activates it), as the
booking form reads them; the service checks the rest and its refusals show on the fields."""

from django import forms

from calendars.models import ClubEvent
from calendars.services import EventInput
from clubs.models import Membership
from dispatch.forms import LOCAL_DT, BookingTimeField, MemberChoiceField


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=ClubEvent.Kind.choices)
    title = forms.CharField(max_length=120)
    start = BookingTimeField(widget=LOCAL_DT, help_text="Club local time.")
    end = BookingTimeField(widget=LOCAL_DT, help_text="Club local time.")
    location = forms.CharField(max_length=120, required=False, help_text="For example the clubhouse, or an airfield.")
    instructor = MemberChoiceField(queryset=Membership.objects.none(), required=False,
                                   help_text="Who teaches it, for ground school.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructor"].queryset = (Membership.objects.filter(
            organization=membership.organization, is_instructor=True, is_active=True)
            .select_related("user").order_by("user__full_name", "pk"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", forms.ValidationError("The end must be after the start.", code="period_invalid"))
        return data

    def to_input(self) -> EventInput:
        d = self.cleaned_data
        return EventInput(kind=d["kind"], title=d["title"], start=d["start"], end=d["end"], location=d["location"],
                          description=d["description"], instructor=d["instructor"])

    @staticmethod
    def initial_of(event: ClubEvent) -> dict:
        return {"kind": event.kind, "title": event.title, "start": event.start, "end": event.end,
                "location": event.location, "instructor": event.instructor_id, "description": event.description}
