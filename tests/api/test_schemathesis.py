"""Schemathesis against our OpenAPI document, in process (WSGI), rate limits off, a fixed
example budget: no operation answers 500, and every response (status, content type, body,
headers) is one the schema describes. Schemathesis is a partner we did not write."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from api.keys import api_key_create
from tests.conftest import at, make_member

EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]

# The examples and fuzzing phases, each within the example budget. (The coverage phase is
# unbounded: one operation alone took a minute.)
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_wsgi("/api/v1/schema", get_wsgi_application(), config=CONFIG,
                                        headers={"Host": "localhost"})


@pytest.fixture
def in_process():
    """As Django's test client does: a request must not close the test's database connection
    (the test runs in a transaction that is rolled back afterwards)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(in_process, club, admin, pilot, aircraft, book, settings):
    """A club with a booking and a flight-log entry, and a read+write key for it."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    book(aircraft, at(10, 9), at(10, 11), [(pilot, "pic")])
    make_member(club, "student-rider", is_pilot=True)
    _accounts(admin, pilot)
    _maintenance_and_calendar(admin, pilot, aircraft)
    _, raw = api_key_create(actor=admin, name="schemathesis", scopes="read,write")
    return {"slug": club.slug, "key": raw}


def _accounts(admin, pilot):
    """An issued invoice, a draft, a payment and an expense: the accounting lists have rows."""
    from decimal import Decimal

    from django.utils import timezone

    from accounting.services.expenses import expense_submit
    from accounting.services.invoices import invoice_issue, invoice_line_add
    from accounting.services.payments import payment_record

    today = timezone.localdate(timezone=pilot.organization.tz)
    invoice = invoice_issue(actor=admin, invoice=invoice_line_add(actor=admin, member=pilot, description="Fee",
                                                                  amount=Decimal("195")).invoice)
    invoice_line_add(actor=admin, member=pilot, description="Landing fees", amount=Decimal("12.5"))
    payment_record(actor=admin, member=pilot, amount=Decimal("50"), method="cash", received_on=today, invoice=invoice)
    expense_submit(actor=pilot, member=pilot, spent_on=today, description="Oil", amount=Decimal("9.90"))


def _maintenance_and_calendar(admin, pilot, aircraft):
    """An item due, an open squawk, a club event and an instructor's hours: those lists have rows."""
    from decimal import Decimal

    from calendars.services import EventInput, event_create
    from dispatch.models import InstructorAvailability
    from maintenance.services.items import ItemInput, item_create
    from maintenance.services.squawks import squawk_report

    item_create(actor=admin, aircraft=aircraft, data=ItemInput(kind="hundred_hour", name="100-hour inspection",
                                                               interval_hours=Decimal("100"),
                                                               next_due_hours=Decimal("805.0")))
    squawk_report(actor=pilot, aircraft=aircraft, description="Door rattles", severity="deferred")
    event_create(actor=admin, data=EventInput(kind="meeting", title="AGM", start=at(12, 18), end=at(12, 20)))
    InstructorAvailability.objects.create(organization=admin.organization, instructor=admin, start=at(11, 8),
                                          end=at(11, 12))


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, seeded):
    if "slug" in (case.path_parameters or {}):
        case.path_parameters["slug"] = seeded["slug"]
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded['key']}", "Host": "localhost"}, checks=CHECKS)
