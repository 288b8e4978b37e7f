"""Issue 13's "done when", in chromium: a dispatcher checks a flight in and the pilot's draft
line appears with the right amount; the treasurer issues it and records a payment; the
pilot's balance and statement agree; the month's CSV opens as a spreadsheet would read it."""

import csv
import io
from decimal import Decimal

import pytest

from accounting.models import Invoice
from accounting.selectors import account_balance
from accounting.services.accounts import account_for
from dispatch.services.dispatching import booking_check_out
from tests.accounting.conftest import treasurer  # noqa: F401 - fixture
from tests.browser.axe import assert_no_serious_violations

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_check_in_to_statement(new_page, club, booking, dispatcher, pilot, treasurer):  # noqa: F811
    club.currency = "CAD"
    club.save()
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))

    # The dispatcher checks the flight in: 1.3 h Hobbs at 150/h.
    page = new_page(dispatcher)
    page.goto(f"/o/{club.slug}/bookings/{booking.pk}/")
    page.locator("#id_hobbs_in").fill("1001.3")
    page.locator("#id_tach_in").fill("801.0")
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_role("status")).to_contain_text("checked in")

    # The pilot, on a phone: the line is pending on the next invoice, and on the booking.
    mine = new_page(pilot, width=390, height=844)
    mine.goto(f"/o/{club.slug}/my-account/")
    expect(mine.locator("main")).to_contain_text("CAD 195.00")
    mine.goto(f"/o/{club.slug}/bookings/{booking.pk}/")
    billing = mine.locator("section.booking-billing")
    expect(billing).to_contain_text("Draft invoice")
    expect(billing).to_contain_text("CAD 195.00")

    # The treasurer issues it from the month and records the payment from the invoice.
    desk = new_page(treasurer)
    desk.goto(f"/o/{club.slug}/accounting/")
    desk.get_by_role("button", name="Issue the draft of Pilot").click()
    invoice = Invoice.objects.get(account__membership=pilot)
    assert (invoice.status, invoice.total) == ("issued", Decimal("195.000"))
    desk.goto(f"/o/{club.slug}/accounting/invoices/{invoice.pk}/")
    expect(desk.get_by_role("heading", level=1)).to_contain_text(invoice.number)
    desk.get_by_role("link", name="Record a payment…").click()
    desk.locator("#id_method").select_option("transfer")
    desk.locator("#id_reference").fill("TRF-2041")
    desk.get_by_role("button", name="Record the payment").click()
    invoice.refresh_from_db()
    assert invoice.status == "paid"

    # The month's invoices CSV, read as a spreadsheet would.
    desk.goto(f"/o/{club.slug}/accounting/")
    with desk.expect_download() as download:
        desk.get_by_role("link", name="invoices", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert [(r["Number"], r["Total"], r["Currency"], r["Status"]) for r in rows] == [(invoice.number, "195.00", "CAD", "Paid")]

    # The pilot's account and statement agree with the ledger: settled.
    assert account_balance(account_for(pilot)).owed == 0
    mine.goto(f"/o/{club.slug}/my-account/")
    expect(mine.locator(".balance-words")).to_contain_text("nothing")
    mine.goto(f"/o/{club.slug}/my-account/statement/")
    statement = mine.locator("table").first
    expect(statement).to_contain_text(invoice.number)
    expect(statement).to_contain_text("195.00")
    expect(mine.locator("tr.closing")).to_contain_text("0.00")
    assert_no_serious_violations(mine)
