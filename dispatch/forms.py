"""Forms give friendly messages; the services and the database are the guarantee."""

from datetime import datetime
from decimal import Decimal

from django import forms

from django.db.models import Q

from clubs.models import Membership
from dispatch.models import Aircraft, Booking, BookingCrew, SquawkSeverity
from dispatch.services import rules
from dispatch.services.checks import OVERRIDE_REASON_MAX
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


class AircraftChoiceField(forms.ModelChoiceField):
    """Grounded aircraft stay listed (a booking already on one keeps it) but say so, so nobody
    picks one by accident; the service refuses a new booking on it (aircraft_grounded)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Aircraft.objects.none())
        kwargs.setdefault("empty_label", "Choose an aircraft")
        kwargs.setdefault("error_messages", {"required": "Choose an aircraft."})
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Aircraft) -> str:
        label = f"{obj.registration} ({obj.aircraft_type})" if obj.aircraft_type else obj.registration
        if obj.is_retired:
            return f"{label} — retired"
        return f"{label} — grounded: {obj.grounded_reason}" if obj.is_grounded else label


def aircraft_choices(club, keep: int | None = None):
    """The aircraft a form offers: those in service (a retired one only if the booking being
    changed already has it)."""
    in_service = Q(retired_at__isnull=True) | Q(pk=keep) if keep else Q(retired_at__isnull=True)
    return Aircraft.objects.filter(in_service, organization=club).order_by("kind", "registration")


CREW_HELP = "A booking needs a pilot in command, or an instructor with a student (a solo student alone)."


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


class RuleOverrideForm(forms.Form):
    """A club rule set to block refuses the booking or check-out; a dispatcher or an admin may
    go ahead with a reason (audited). The reason box is offered only after such a refusal
    (`offer_override`), or while a reason already typed is being resubmitted."""

    override_reason = forms.CharField(
        required=False, max_length=OVERRIDE_REASON_MAX, label="Override reason",
        help_text="Why the club's rule is set aside this time (kept in the audit log with the facts).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.override_offered = bool(self.is_bound and (self.data.get("override_reason") or "").strip())

    def offer_override(self, offered: bool = True) -> None:
        self.override_offered = offered

    def rendered(self):
        """The form as the page shows it: without the reason box unless it is offered (an
        error about a reason nobody was asked for is shown at the top instead)."""
        if not self.override_offered and "override_reason" in self.fields:
            for message in self.errors.pop("override_reason", []):
                self.add_error(None, message)
            del self.fields["override_reason"]
        return self

    @property
    def reason_given(self) -> str:
        return (getattr(self, "cleaned_data", {}).get("override_reason") or "").strip()


class BookingForm(RuleOverrideForm):
    aircraft = AircraftChoiceField()
    start = BookingTimeField(widget=LOCAL_DT, help_text="Club local time.")
    end = BookingTimeField(widget=LOCAL_DT, help_text="Club local time.")
    pic = MemberChoiceField(queryset=Membership.objects.none(), required=False, label="Pilot in command",
                            help_text=CREW_HELP)
    instructor = MemberChoiceField(queryset=Membership.objects.none(), required=False,
                                   help_text="For a lesson: the instructor, with the student below.")
    student = MemberChoiceField(queryset=Membership.objects.none(), required=False,
                                help_text="For a lesson, or alone for a solo.")
    passengers = MembersChoiceField(queryset=Membership.objects.none(), required=False,
                                    widget=forms.SelectMultiple(attrs={"size": 4}))
    purpose = forms.ChoiceField(choices=Booking.Purpose.choices, initial=Booking.Purpose.RENTAL)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    def __init__(self, *args, membership: Membership, booking: Booking | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        club = membership.organization
        self.fields["aircraft"].queryset = aircraft_choices(club, keep=booking.aircraft_id if booking else None)
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
            raise forms.ValidationError("Choose who flies: a pilot in command, or an instructor with a student.",
                                        code="crew_required")
        return data

    def to_input(self) -> BookingInput:
        d = self.cleaned_data
        crew = [(d[role], role) for role in ("pic", "instructor", "student") if d.get(role)]
        crew += [(m, BookingCrew.Role.PASSENGER) for m in d.get("passengers") or []]
        return BookingInput(aircraft=d["aircraft"], start=d["start"], end=d["end"], crew=crew,
                            purpose=d["purpose"], notes=d.get("notes", ""), override_reason=self.reason_given)

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
    reason = forms.CharField(required=False, max_length=200, label="Reason for cancelling",
                             help_text="Shown on the booking to its crew.")


METER = {"max_digits": 8, "decimal_places": 1, "min_value": Decimal("0")}
FUEL = {"max_digits": 9, "decimal_places": 2, "min_value": Decimal("0"), "required": False,
        "help_text": "What the crew paid for fuel themselves, from the receipt (credited on a wet rate)."}
GROUND = {"max_digits": 4, "decimal_places": 2, "min_value": Decimal("0"), "max_value": Decimal("24"), "required": False,
          "help_text": "Briefing and debriefing given by the instructor, billed at the ground rate."}


class CheckOutForm(RuleOverrideForm):
    hobbs_out = forms.DecimalField(label="Hobbs out", **METER)
    tach_out = forms.DecimalField(label="Tach out", **METER)
    correction_reason = forms.CharField(
        required=False, max_length=300,
        help_text="Only when a meter reads below the last check-in (meter replaced, misread last time).",
    )


class CheckInForm(forms.Form):
    """Warns before saving when the Hobbs time is far from the engine time Wi-Flight detected:
    the first post is refused (meters_differ) with a "Save anyway" box; ticking it saves. The
    meters' hard rules stay the service's (booking_check_in)."""

    hobbs_in = forms.DecimalField(label="Hobbs in", **METER)
    tach_in = forms.DecimalField(label="Tach in", **METER)
    squawks = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000,
                              help_text="Defects noticed during the flight.")
    squawk_severity = forms.ChoiceField(choices=SquawkSeverity.choices, initial=SquawkSeverity.MINOR, required=False,
                                        label="How bad is the squawk?",
                                        help_text="Only with a squawk. Grounding grounds the aircraft at once.")
    fuel_cost = forms.DecimalField(label="Fuel bought", **FUEL)
    ground_hours = forms.DecimalField(label="Ground instruction (hours)", **GROUND)
    confirm_meters = forms.BooleanField(required=False, label="Save anyway: the meter readings are right")

    def __init__(self, *args, hobbs_out: Decimal | None = None, flown=None, **kwargs):
        """`flown`: what the apps above know of the flight (flights' BookingFlights, through
        the booking_page extension), or None."""
        super().__init__(*args, **kwargs)
        self.hobbs_out, self.flown, self.meter_warning = hobbs_out, flown, None
        if not self.is_bound:
            del self.fields["confirm_meters"]

    def clean(self):
        data = super().clean()
        hobbs_in = data.get("hobbs_in")
        if hobbs_in is not None and self.hobbs_out is not None and self.flown is not None:
            hours = hobbs_in - self.hobbs_out
            # A reading below Hobbs out is the service's refusal (meter_backwards), not a warning.
            difference = self.flown.hobbs_warning(hours) if hours >= 0 else None
            if difference is not None:
                self.meter_warning = (f"Hobbs time {hours} h differs from the engine time Wi-Flight detected "
                                      f"({self.flown.engine_hours} h) by {abs(difference)} h. Check the meters.")
                if not data.get("confirm_meters"):
                    raise forms.ValidationError(self.meter_warning + " If they are right, tick “Save anyway”.",
                                                code="meters_differ")
        return data

    def full_clean(self):
        super().full_clean()
        # The box is offered only while there is something to confirm.
        if self.meter_warning is None:
            self.fields.pop("confirm_meters", None)

    def meters(self) -> dict:
        severity = self.cleaned_data.get("squawk_severity") or SquawkSeverity.MINOR
        return {k: self.cleaned_data[k] for k in ("hobbs_in", "tach_in", "squawks")} | self.extras() | {
            "squawk_severity": severity}

    def extras(self) -> dict:
        return {"fuel_cost": self.cleaned_data.get("fuel_cost") or Decimal("0"),
                "ground_hours": self.cleaned_data.get("ground_hours") or Decimal("0")}


class CheckInCorrectionForm(forms.Form):
    """A checked-in booking's record corrected after the fact, with the reason (audited)."""

    hobbs_in = forms.DecimalField(label="Hobbs in", **METER)
    tach_in = forms.DecimalField(label="Tach in", **METER)
    fuel_cost = forms.DecimalField(label="Fuel bought", **FUEL)
    ground_hours = forms.DecimalField(label="Ground instruction (hours)", **GROUND)
    reason = forms.CharField(max_length=300, help_text="Why the record is corrected (kept in the audit log).")


class WalkUpAircraftForm(forms.Form):
    """Step one of walk-up dispatch (a GET): which aircraft, so step two can prefill its meters."""

    aircraft = AircraftChoiceField()

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aircraft"].queryset = walkup_aircraft(club)


def walkup_aircraft(club):
    """What can leave now: in service and not grounded."""
    return aircraft_choices(club).filter(status=Aircraft.Status.AVAILABLE)


class AircraftMetersSelect(forms.Select):
    """Each option carries its aircraft's meters, so static/js/forms.js can refill Hobbs and
    tach when the dispatcher picks another aircraft (without JS, step one already chose)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        aircraft = getattr(value, "instance", None)
        if aircraft is not None:
            option["attrs"].update({"data-hobbs": str(aircraft.hobbs), "data-tach": str(aircraft.tach)})
        return option


class WalkUpForm(BookingForm, CheckOutForm):
    """Walk-up dispatch: the booking starts now; only the expected return is asked."""

    aircraft = AircraftChoiceField(widget=AircraftMetersSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["start"]
        self.fields["end"].label = "Expected back"
        self.fields["aircraft"].queryset = walkup_aircraft(kwargs["membership"].organization)

    def to_input(self) -> BookingInput:
        self.cleaned_data.setdefault("start", None)  # the service starts it now
        return super().to_input()
