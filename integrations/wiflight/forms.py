from django import forms
from django.conf import settings

from integrations.wiflight.models import WiFlightConnection


class ConnectionForm(forms.ModelForm):
    base_url = forms.URLField(assume_scheme="https", initial="https://www.wi-flight.net",
                              help_text="https://www.wi-flight.net for the real service.")
    password = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        label="Fleet administrator password", help_text="Stored encrypted and never shown. Leave empty to keep the current one.")

    class Meta:
        model = WiFlightConnection
        fields = ["enabled", "base_url", "username", "name_domain", "match_domain", "notify_profile",
                  "maintenance_enabled", "maintenance_domain"]

    def clean_base_url(self):
        url = self.cleaned_data["base_url"].rstrip("/")
        # The fleet administrator's password travels to this address: only over TLS, except
        # to a local simulator while developing.
        if not url.startswith("https://") and not settings.DEBUG:
            raise forms.ValidationError("Wi-Flight must be reached over https://.")
        return url

    def clean_name_domain(self):
        return self.cleaned_data["name_domain"].strip().lstrip("@").lower()

    def clean(self):
        data = super().clean()
        # A stored password is only ever sent where it was entered for: pointing the
        # connection at another server or account needs the password again.
        moved = {"base_url", "username"} & set(self.changed_data)
        if moved and self.instance.password_encrypted and not data.get("password"):
            raise forms.ValidationError("Give the password again when you change the Wi-Flight address or username.")
        if data.get("enabled"):
            missing = [label for field, label in (("username", "the fleet administrator username"),
                                                   ("name_domain", "the reservation name domain"))
                       if not data.get(field)]
            if not (data.get("password") or (self.instance and self.instance.password_encrypted)):
                missing.append("the password")
            if missing:
                raise forms.ValidationError(f"To switch the sync on, give {', '.join(missing)}.")
        return data
