"""Showing a service's refusal on the form that asked for it."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal at the top of the form that asked for it."""
    for message in exc.messages:
        form.add_error(None, message)
