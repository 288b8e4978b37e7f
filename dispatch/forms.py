"""Forms give friendly messages; the services and the database are the guarantee."""

from decimal import Decimal

from django import forms

from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services.bookings import BookingInput
from dispatch.services.fleet import AircraftInput
from clubs.models import Membership

LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 300}, format="%Y-%m-%dT%H:%M")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


class BookingForm(forms.Form):
    aircraft = forms.ModelChoiceField(queryset=Aircraft.objects.none(), empty_label=None)
    start = forms.DateTimeField(widget=LOCAL_DT, help_text="Club local time.")
    end = forms.DateTimeField(widget=LOCAL_DT, help_text="Club local time.")
    pic = MemberChoiceField(queryset=Membership.objects.none(), required=False, label="Pilot in command")
    instructor = MemberChoiceField(queryset=Membership.objects.none(), required=False)
    student = MemberChoiceField(queryset=Membership.objects.none(), required=False)
    passengers = MembersChoiceField(queryset=Membership.objects.none(), required=False,
                                    widget=forms.SelectMultiple(attrs={"size": 4}))
    purpose = forms.ChoiceField(choices=Booking.Purpose.choices, initial=Booking.Purpose.RENTAL)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        club = membership.organization
        self.fields["aircraft"].queryset = Aircraft.objects.filter(organization=club).order_by("kind", "registration")
        members = Membership.objects.filter(organization=club, is_active=True).select_related("user")
        for name in ("pic", "instructor", "student", "passengers"):
            self.fields[name].queryset = members
        self.fields["instructor"].queryset = members.filter(is_instructor=True)

    def clean(self):
        data = super().clean()
        if not any(data.get(n) for n in ("pic", "instructor", "student")):
            raise forms.ValidationError("Choose the pilot in command, or an instructor and student.")
        return data

    def to_input(self) -> BookingInput:
        d = self.cleaned_data
        crew = [(d[role], role) for role in ("pic", "instructor", "student") if d.get(role)]
        crew += [(m, BookingCrew.Role.PASSENGER) for m in d.get("passengers") or []]
        return BookingInput(aircraft=d["aircraft"], start=d["start"], end=d["end"], crew=crew,
                            purpose=d["purpose"], notes=d.get("notes", ""))

    @staticmethod
    def initial_from_booking(booking: Booking) -> dict:
        initial = {"aircraft": booking.aircraft_id, "start": booking.start, "end": booking.end,
                   "purpose": booking.purpose, "notes": booking.notes, "passengers": []}
        for c in booking.crew.all():
            if c.role == BookingCrew.Role.PASSENGER:
                initial["passengers"].append(c.membership_id)
            else:
                initial[c.role] = c.membership_id
        return initial


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, max_length=200)


METER = {"max_digits": 8, "decimal_places": 1, "min_value": Decimal("0")}


class CheckOutForm(forms.Form):
    hobbs_out = forms.DecimalField(label="Hobbs out", **METER)
    tach_out = forms.DecimalField(label="Tach out", **METER)
    correction_reason = forms.CharField(
        required=False, max_length=300,
        help_text="Only when a meter reads below the last check-in (meter replaced, misread last time).",
    )


class CheckInForm(forms.Form):
    hobbs_in = forms.DecimalField(label="Hobbs in", **METER)
    tach_in = forms.DecimalField(label="Tach in", **METER)
    squawks = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000,
                              help_text="Defects noticed during the flight.")


class WalkUpForm(BookingForm, CheckOutForm):
    """Walk-up dispatch: the booking starts now; only the expected return is asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["start"]
        self.fields["end"].label = "Expected back"

    def to_input(self) -> BookingInput:
        self.cleaned_data.setdefault("start", None)  # the service starts it now
        return super().to_input()


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


class LogbookEntryForm(forms.Form):
    landings = forms.IntegerField(min_value=0, max_value=200)
    approaches = forms.IntegerField(min_value=0, max_value=200, initial=0)
    remarks = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
