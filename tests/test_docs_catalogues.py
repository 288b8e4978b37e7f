"""docs/errors.md lists every refusal code the code raises, and docs/events.md every event."""

import pathlib
import re

from clubs.changes import EVENTS

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ["core", "clubs", "dispatch", "flights", "accounting", "integrations", "api", "portal", "maintenance",
           "booking_rules", "calendars", "reminders"]
RAISED = re.compile(r"\b(?:NotFound|NotAllowed|Conflict|Invalid)\(\s*[\"']([a-z_]+)[\"']")


def _codes_in_code() -> set[str]:
    codes = set()
    for package in SOURCES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                codes |= set(RAISED.findall(path.read_text()))
    return codes


def test_every_refusal_code_is_documented():
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", (ROOT / "docs/errors.md").read_text(), re.M))
    codes = _codes_in_code()
    assert len(codes) > 20  # the scan itself works
    assert codes - documented == set(), "add these codes to docs/errors.md"


def test_every_event_is_documented():
    text = (ROOT / "docs/events.md").read_text()
    missing = [event for event in EVENTS if f"`{event}`" not in text]
    assert missing == []


def test_every_booking_rule_code_is_documented():
    """The rules' codes are raised from a table (booking_rules.checks.CODES), not a literal."""
    from booking_rules.checks import CODES

    documented = set(re.findall(r"^\| `([a-z_]+)` \|", (ROOT / "docs/errors.md").read_text(), re.M))
    assert set(CODES.values()) - documented == set()
