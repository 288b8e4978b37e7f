"""Wi-Flight times: compact UTC (`20131201T120000Z`) on output; compact or extended on input."""

import re
from datetime import datetime, timezone

_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")
# Extended ISO 8601 in UTC only: the contract says zulu time, so an offset other than zero is
# refused rather than silently converted (a client sending local time has a bug to see).
_EXTENDED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-]00:?00)$")


class TimeFormatError(ValueError):
    pass


def parse_time(text: str) -> datetime:
    """Parse a compact or extended UTC time; fractions of a second are dropped."""
    text = (text or "").strip()
    match = _COMPACT.match(text) or _EXTENDED.match(text)
    if not match:
        raise TimeFormatError(f"{text!r} is not a UTC time like 20131201T120000Z")
    try:
        return datetime(*(int(part) for part in match.groups()), tzinfo=timezone.utc)
    except ValueError as exc:
        raise TimeFormatError(f"{text!r} is not a valid date and time") from exc


def format_time(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
