"""Lenient readers for values from query strings and forms: anything odd reads as "absent"
instead of raising (a hand-edited URL must never be a 500)."""

import re
from datetime import date

_ID = re.compile(r"^[0-9]{1,18}$")  # ASCII digits only: "²".isdigit() is True, int("²") fails
EARLIEST, LATEST = date(1950, 1, 1), date(2200, 12, 31)


def parse_id(value: str | None) -> int | None:
    return int(value) if value and _ID.match(value) else None


def parse_day(value: str | None) -> date | None:
    """A YYYY-MM-DD date in a range where board and calendar arithmetic cannot overflow."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is not None and EARLIEST <= day <= LATEST else None
