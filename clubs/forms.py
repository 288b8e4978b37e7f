from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from clubs.models import Membership, Role
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        import zoneinfo

        self.fields["timezone"].choices = [(z, z) for z in sorted(zoneinfo.available_timezones())]
