"""Showing a service's refusal on the form that asked for it."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the field it concerns when the form has that field, else at
    the top of the form. The message is the service's own (written once, where the rule is)."""
    field = getattr(exc, "field", None)
    if field is not None and field in form.fields:
        form.add_error(field, exc.messages)
        return
    for message in exc.messages:
        form.add_error(None, message)
