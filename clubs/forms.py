import zoneinfo

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from clubs.models import AltitudeUnit, BookingStep, Membership, Role
from clubs.services import MemberDetails


class MemberForm(forms.Form):
    full_name = forms.CharField(max_length=150)
    email = forms.EmailField()
    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    wiflight_username = forms.CharField(
        max_length=150, required=False, label="Wi-Flight username",
        help_text="user@domain. Leave empty to use the club's default.",
    )
    instructor = forms.ModelChoiceField(queryset=Membership.objects.none(), required=False,
                                        help_text="For students: the instructor who books and sees their flights.")

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructor"].queryset = Membership.objects.people().filter(
            organization=club, is_instructor=True, is_active=True).select_related("user")
        self.fields["instructor"].label_from_instance = lambda m: m.user.display_name

    def clean_wiflight_username(self):
        value = self.cleaned_data["wiflight_username"].strip()
        if value and (value.count("@") != 1 or value.startswith("@") or value.endswith("@") or " " in value):
            raise ValidationError("A Wi-Flight username looks like user@domain.")
        return value

    def to_details(self) -> MemberDetails:
        d = self.cleaned_data
        return MemberDetails(full_name=d["full_name"], email=d["email"], roles=frozenset(d["roles"]),
                             wiflight_username=d["wiflight_username"], instructor=d.get("instructor"))

    @staticmethod
    def initial_for(membership: Membership) -> dict:
        return {"full_name": membership.user.full_name, "email": membership.user.email, "roles": membership.roles,
                "wiflight_username": membership.wiflight_username, "instructor": membership.instructor_id}


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(label="Choose a password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="Repeat it", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            raise ValidationError("The two passwords differ.")
        if data.get("password1"):
            password_validation.validate_password(data["password1"], self.user)
        return data


REGIONS = ("Europe", "America", "Australia", "Pacific", "Asia", "Africa", "Atlantic", "Indian", "Antarctica", "Arctic")


def timezone_choices(current: str) -> list:
    """Time zones grouped by region, the club's own (and UTC) first; the legacy aliases
    (US/Eastern, EST5EDT, Etc/GMT+5) left out unless the club already uses one."""
    zones = zoneinfo.available_timezones()
    label = lambda z: z.replace("_", " ")  # noqa: E731
    likely = [z for z in dict.fromkeys([current, "UTC"]) if z in zones]
    groups = [("Most likely", [(z, label(z)) for z in likely])]
    for region in REGIONS:
        members = sorted(z for z in zones if z.startswith(region + "/") and z not in likely)
        groups.append((region, [(z, label(z).removeprefix(region + "/")) for z in members]))
    return groups


class ClubSettingsForm(forms.Form):
    name = forms.CharField(max_length=120)
    timezone = forms.ChoiceField(help_text="Bookings are shown and entered in this time zone.")
    wiflight_user_domain = forms.CharField(
        max_length=120, required=False, label="Wi-Flight user domain",
        help_text="Crew usernames at Wi-Flight default to username@this-domain.")
    max_passengers = forms.IntegerField(
        min_value=0, max_value=50, required=False, label="Passengers per booking",
        help_text="How many passengers a pilot or instructor may add to a booking. Dispatchers may add more.")
    passengers_block_bookings = forms.BooleanField(
        required=False, label="Passenger seats block other bookings",
        help_text="When ticked, a member listed as a passenger cannot be booked elsewhere at the same time.")
    day_starts = forms.TimeField(label="Day starts", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 help_text="The board's day view starts here.")
    day_ends = forms.TimeField(label="Day ends", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                               help_text="The board's day view ends here; bookings outside these hours still show.")
    booking_step_minutes = forms.TypedChoiceField(choices=BookingStep.choices, coerce=int, label="Booking step",
                                                  help_text="Times picked on the board are rounded to this step.")
    default_booking_minutes = forms.IntegerField(min_value=5, max_value=1440, label="Default booking length (minutes)",
                                                 help_text="What a new booking or a walk-up gets until changed.")
    pilots_self_dispatch = forms.BooleanField(required=False, label="Pilots check themselves out and in",
                                              help_text="Pilots may check out and in the aircraft of their own bookings.")
    show_instructor_rows = forms.BooleanField(required=False, label="Show instructors on the board",
                                              help_text="Instructors get rows with their bookings and the hours they are available.")
    altitude_unit = forms.ChoiceField(choices=AltitudeUnit.choices, label="Units on flight pages")

    def __init__(self, *args, current_timezone: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices(current_timezone)
