"""Forms give friendly messages; the services and the database are the guarantee."""

from datetime import datetime
from decimal import Decimal

from django import forms

from django.db.models import Q

from clubs.models import Membership
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services import rules
from dispatch.services.bookings import BookingInput

LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 300, "min": f"{rules.EARLIEST_DAY}T00:00",
                                      "max": f"{rules.LATEST_DAY}T23:59"}, format="%Y-%m-%dT%H:%M")


class BookingTimeField(forms.DateTimeField):
    """A club-local time within the years bookings may use (rules.EARLIEST_DAY..LATEST_DAY):
    a year 9999 is a clear error, never an overflow while converting it."""

    def to_python(self, value):
        try:
            moment = super().to_python(value)
        except OverflowError:
            moment = datetime.max
        if moment is not None and not rules.in_time_range(moment):
            raise forms.ValidationError(rules.TIME_OUT_OF_RANGE, code="time_out_of_range")
        return moment


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


class BookingForm(forms.Form):
    aircraft = forms.ModelChoiceField(queryset=Aircraft.objects.none(), empty_label=None)
    start = BookingTimeField(widget=LOCAL_DT, help_text="Club local time.")
    end = BookingTimeField(widget=LOCAL_DT, help_text="Club local time.")
    pic = MemberChoiceField(queryset=Membership.objects.none(), required=False, label="Pilot in command")
    instructor = MemberChoiceField(queryset=Membership.objects.none(), required=False)
    student = MemberChoiceField(queryset=Membership.objects.none(), required=False)
    passengers = MembersChoiceField(queryset=Membership.objects.none(), required=False,
                                    widget=forms.SelectMultiple(attrs={"size": 4}))
    purpose = forms.ChoiceField(choices=Booking.Purpose.choices, initial=Booking.Purpose.RENTAL)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    def __init__(self, *args, membership: Membership, booking: Booking | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        club = membership.organization
        self.fields["aircraft"].queryset = Aircraft.objects.filter(organization=club).order_by("kind", "registration")
        # A crew member deactivated since stays on the form, so saving never drops them
        # silently: the service refuses (member_inactive) and the dispatcher removes them.
        on_crew = Q(pk__in=booking.crew.values("membership_id")) if booking is not None else Q(pk__in=[])
        members = Membership.objects.people().filter(Q(is_active=True) | on_crew, organization=club).select_related("user")
        self.fields["pic"].queryset = members.filter(Q(is_pilot=True) | Q(is_instructor=True) | on_crew)
        self.fields["instructor"].queryset = members.filter(Q(is_instructor=True) | on_crew)
        self.fields["student"].queryset = members.filter(Q(instructor__isnull=False) | on_crew)
        self.fields["passengers"].queryset = members

    def clean(self):
        data = super().clean()
        if not any(data.get(n) for n in ("pic", "instructor", "student")):
            raise forms.ValidationError("Choose the pilot in command, or an instructor and student.", code="crew_required")
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
