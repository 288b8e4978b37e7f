"""Booking rules: set the club's rules through the real service, and one scenario per rule
that makes it (and only it) find something when it is on."""

from dataclasses import dataclass, fields, replace
from datetime import datetime
from decimal import Decimal

import pytest

from accounting.services.invoices import invoice_issue, invoice_line_add
from accounting.services.terms import account_update
from booking_rules.checks import CODES, rules_of
from booking_rules.services import RulesInput, booking_rules_update
from clubs.models import AuditEvent, Membership
from dispatch.models import BookingCrew
from dispatch.services.bookings import BookingInput, booking_create
from tests.conftest import at, make_member

PIC, STUDENT = BookingCrew.Role.PIC, BookingCrew.Role.STUDENT
RULES = list(CODES)
# Rules asked again at check-out (the active bookings, the horizon and the length only at booking).
AT_CHECK_OUT = [r for r in RULES if r not in ("active_bookings", "horizon", "length")]
BOOKING_ONLY = [r for r in RULES if r not in AT_CHECK_OUT]
OUT = {"hobbs_out": Decimal("1000.0"), "tach_out": Decimal("800.0")}


@pytest.fixture
def treasurer(club):
    return make_member(club, "treasurer", is_treasurer=True)


@pytest.fixture
def set_rules(admin):
    """set_rules(licence="block", max_length_hours=Decimal("1"), ...): the rest as they are."""

    def _set(**values):
        current = rules_of(admin.organization)
        data = {f.name: getattr(current, f.name) for f in fields(RulesInput)} | values
        return booking_rules_update(actor=admin, data=RulesInput(**data))

    return _set


@dataclass
class Scenario:
    rule: str
    crew: list[tuple[Membership, str]]
    booker: Membership  # the member who books (and self-dispatches) this flight themselves
    start: datetime
    end: datetime
    parameters: dict

    @property
    def code(self) -> str:
        return CODES[self.rule]

    def data(self, aircraft, **extra) -> BookingInput:
        return BookingInput(aircraft=aircraft, start=self.start, end=self.end, crew=list(self.crew), **extra)

    def form(self, aircraft, **extra) -> dict:
        """The booking form's POST for this flight."""
        roles = {role: m.pk for m, role in self.crew}
        return {"aircraft": aircraft.pk, "start": self.start.strftime("%Y-%m-%dT%H:%M"),
                "end": self.end.strftime("%Y-%m-%dT%H:%M"), "pic": roles.get(PIC, ""), "instructor": "",
                "student": roles.get(STUDENT, ""), "purpose": "rental", "notes": "", **extra}

    def api(self, aircraft, **extra) -> dict:
        return {"data": {"type": "booking", "attributes": {
            "aircraft": aircraft.registration, "start": self.start.isoformat(), "end": self.end.isoformat(),
            "crew": [{"member": str(m.pk), "role": role} for m, role in self.crew], **extra}}}


@pytest.fixture
def scenario(request, club, pilot, student, aircraft, aircraft2, dispatcher, treasurer):
    """What makes `rule` (the test's parameter) find something: a pilot with no documents on
    file, not checked out, never flown the type; an account over its limit; a booking
    already held; a start years ahead (the test week is in 2030); two hours against one; a
    student alone without an endorsement."""
    rule = request.param
    s = Scenario(rule=rule, crew=[(pilot, PIC)], booker=pilot, start=at(10, 9), end=at(10, 11), parameters={})
    if rule == "credit_limit":
        line = invoice_line_add(actor=treasurer, member=pilot, description="Membership fee", amount=Decimal("500"))
        invoice_issue(actor=treasurer, invoice=line.invoice)
        account_update(actor=treasurer, member=pilot, group="member", credit_limit=Decimal("100"))
    elif rule == "active_bookings":
        booking_create(actor=dispatcher, data=BookingInput(aircraft=aircraft2, start=at(12, 9), end=at(12, 10),
                                                           crew=[(pilot, PIC)]))
        s.parameters = {"max_active_bookings": 1}
    elif rule == "length":
        s.parameters = {"max_length_hours": Decimal("1")}
    elif rule == "solo_endorsement":
        s = replace(s, crew=[(student, STUDENT)], booker=student)
    return s


def rule_params(rules):
    return pytest.mark.parametrize("scenario", rules, indirect=True)


def overrides_of(booking) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="booking.rules_overridden", target_type="booking",
                                          target_id=str(booking.pk)))
