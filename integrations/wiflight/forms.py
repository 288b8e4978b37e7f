from django import forms

from integrations.wiflight.models import WiFlightConnection


class ConnectionForm(forms.ModelForm):
    """Parses and normalizes; the rules (https only, the password again when the connection
    moves, what switching on needs) are connection_update's, shown here as its refusals."""

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
        return self.cleaned_data["base_url"].rstrip("/")

    def clean_name_domain(self):
        return self.cleaned_data["name_domain"].strip().lstrip("@").lower()
