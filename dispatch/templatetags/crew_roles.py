"""`{{ role|crew_role }}`: a crew role in words ("Pilot in command", not "pic").

Flights and flight log entries copy the booking's role code as plain text (a manual log
entry may hold any text), so they have no choices of their own to display; this filter gives
the booking's label for a known code and leaves anything else as written."""

from django import template

from dispatch.models import BookingCrew

register = template.Library()


@register.filter
def crew_role(value: str) -> str:
    try:
        return BookingCrew.Role(value).label
    except ValueError:
        return value
