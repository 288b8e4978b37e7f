"""Input fields the API's serializers share, strict where DRF is lenient."""

from collections.abc import Mapping
from datetime import date, datetime

from rest_framework import serializers

from core.text import has_control_characters


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time with its UTC offset: a time without one is ambiguous across the
    club's time zone, the server's and the caller's, so it is refused rather than guessed."""

    default_error_messages = {
        "naive": "Give the time with its UTC offset, for example 2030-06-10T09:00:00+02:00 or ...T07:00:00Z.",
        "invalid": "Give an ISO 8601 time with its UTC offset, for example 2030-06-10T09:00:00+02:00.",
        "range": "Give a time between the years 2000 and 2100.",
    }

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid")
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.fail("invalid")
        if parsed.tzinfo is None:
            self.fail("naive")
        if not 2000 <= parsed.year <= 2100:
            self.fail("range")
        return parsed


class StrictDateField(serializers.DateField):
    """YYYY-MM-DD, in the words of the reference's own example error."""

    default_error_messages = {"invalid": "Date must be in YYYY-MM-DD format",
                              "range": "Give a date between 1950 and 2100."}

    def to_internal_value(self, value):
        if not isinstance(value, str) or len(value) != 10:
            self.fail("invalid")
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.fail("invalid")
        if not 1950 <= parsed.year <= 2100:
            self.fail("range")
        return parsed


class PlainCharField(serializers.CharField):
    """Text without control characters (they break XML documents and one-line displays)."""

    default_error_messages = {"control": "Control characters (tabs, line breaks, ...) are not allowed here."}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if has_control_characters(value):
            self.fail("control")
        return value


class IdField(serializers.CharField):
    """An object id as the API writes it: a string of digits (a bare number is accepted)."""

    default_error_messages = {"id": "Give an id (a string of digits)."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("id")
        value = str(data)
        if not value.isascii() or not value.isdigit() or len(value) > 18:
            self.fail("id")
        return int(value)


class StrictSerializer(serializers.Serializer):
    """A write body's attributes, refusing those it does not take: DRF drops them silently, so
    PATCH {"status": "cancelled"} would answer 200 and cancel nothing."""

    default_error_messages = {"unknown": "This attribute is not one this request takes."}

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [self.error_messages["unknown"]] for name in unknown})
        return super().to_internal_value(data)
