from django import forms

from integrations.webhooks.catalogue import event_choices


class EndpointForm(forms.Form):
    """Parses; the rules (https, no private address, known events) are the endpoint
    services', shown here as their refusals."""

    url = forms.URLField(label="URL", max_length=500, assume_scheme="https",
                         help_text="The receiver's https:// address. Every message is POSTed there, signed.")
    description = forms.CharField(max_length=120, required=False, help_text="What receives them: \"Club website\".")
    events = forms.MultipleChoiceField(choices=event_choices, widget=forms.CheckboxSelectMultiple)


class EndpointEditForm(EndpointForm):
    active = forms.BooleanField(required=False, label="Active (send events to it)")

    @classmethod
    def for_endpoint(cls, endpoint, data=None):
        return cls(data, initial={"url": endpoint.url, "description": endpoint.description,
                                  "events": endpoint.events, "active": endpoint.is_active})
