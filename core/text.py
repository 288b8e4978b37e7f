"""Plain text: what a name, a registration or a username may hold.

Control characters (vertical tab, bell, NUL, escape, ...) have no place in a one-line value,
and XML 1.0 cannot carry most of them at all: a member named "Vert\x0bical" made every one of
their Wi-Flight reservations unwritable. Services refuse them where the value comes in, so
nothing downstream has to cope."""

import unicodedata

from core.errors import Invalid

# Cc: the C0 and C1 controls, DEL. Cs: lone surrogates. Noncharacters U+FFFE/U+FFFF are
# refused by XML too.
_REFUSED_CATEGORIES = {"Cc", "Cs"}
_REFUSED_CHARACTERS = {"\ufffe", "\uffff"}


def has_control_characters(value: str) -> bool:
    return any(ch in _REFUSED_CHARACTERS or unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in value)


def require_plain_line(value: str, *, field: str, label: str) -> str:
    """The value, or Invalid("control_characters") naming the field."""
    if has_control_characters(value):
        raise Invalid("control_characters", f"{label} cannot contain control characters (tabs, line breaks, ...).",
                      field=field)
    return value


def require_plain_text(value: str, *, field: str, label: str) -> str:
    """Several lines of text: line breaks and tabs are text, every other control character is
    refused (Invalid("control_characters")), as it would break the formats that carry it on
    (an iCalendar feed, an email, XML)."""
    if has_control_characters(value.replace("\r\n", "").replace("\n", "").replace("\t", "")):
        raise Invalid("control_characters", f"{label} cannot contain control characters.", field=field)
    return value
