"""The month's CSV files: parsed with Python's csv module (not by our own code), amounts that
add up to the invoice totals, ISO dates, plain decimals, no byte-order mark, spreadsheet-safe
text, and an attachment named for the club and month."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounting import exports
from accounting.models import Invoice
from accounting.services.invoices import invoice_credit, invoice_issue, invoice_line_add, invoice_void
from accounting.services.payments import payment_record, payment_void
from dispatch.models import BookingCrew
from flights.models import LogbookEntry
from tests.conftest import at, client_for

pytestmark = pytest.mark.django_db


def this_month(club) -> str:
    return f"{timezone.localdate(timezone=club.tz):%Y-%m}"


def download(member, club, name, month):
    r = client_for(member).get(reverse(name, args=[club.slug]), {"month": month})
    assert r.status_code == 200 and r["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(r.streaming_content)
    assert not body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    return r, rows


@pytest.fixture
def month_of_money(club, treasurer, book, aircraft, fly, pilot, pilot2):
    """Two flights (pilot 1.3 h, pilot2 0.8 h), a fee, issued; pilot's credited 20 and paid
    100, pilot2's invoice voided and billed again; a voided payment."""
    fly(book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)]), "1.3")
    fly(book(aircraft, at(11, 9), at(11, 11), [(pilot2, BookingCrew.Role.PIC)]), "0.8")
    invoice_line_add(actor=treasurer, member=pilot, description="=cmd|' /C calc'!A0", amount=Decimal("12.345"))
    drafts = Invoice.objects.filter(status=Invoice.Status.DRAFT).order_by("pk")
    first, second = [invoice_issue(actor=treasurer, invoice=d) for d in drafts]
    invoice_credit(actor=treasurer, invoice=first, amount=Decimal("20"), reason="Goodwill")
    invoice_void(actor=treasurer, invoice=second, reason="Wrong member")
    today = timezone.localdate(timezone=club.tz)
    payment_record(actor=treasurer, member=pilot, amount=Decimal("100"), method="transfer", received_on=today,
                   reference="@SUM(A1)")
    bounced = payment_record(actor=treasurer, member=pilot2, amount=Decimal("30"), method="cheque", received_on=today)
    payment_void(actor=treasurer, payment=bounced, reason="Bounced")
    return first, second


def test_invoices_csv(club, treasurer, month_of_money, pilot):
    first, second = month_of_money
    r, rows = download(treasurer, club, "accounting_invoices_csv", this_month(club))
    assert list(rows[0]) == exports.INVOICE_HEADER
    assert r["Content-Disposition"] == f'attachment; filename="invoices-tac-{this_month(club)}.csv"'
    by_number = {row["Number"]: row for row in rows}
    assert set(by_number) == {"INV-00001", "INV-00002", "CN-00001"}
    inv = by_number["INV-00001"]
    assert inv["Member"] == "Pilot" and inv["Member id"] == str(pilot.pk) and inv["Kind"] == "Invoice"
    assert inv["Total"] == "207.35" and inv["Currency"] == club.currency  # 195 + 12.345, half-up to cents
    assert inv["Issued on"] == first.issued_at.astimezone(club.tz).date().isoformat()
    assert inv["Due on"] == first.due_on.isoformat()
    note = by_number["CN-00001"]
    assert note["Total"] == "-20.00" and note["Credits number"] == "INV-00001" and note["Kind"] == "Credit note"
    assert by_number["INV-00002"]["Status"] == "Void"


def test_the_lines_add_up_to_the_invoice_totals(club, treasurer, month_of_money):
    month = this_month(club)
    _, invoices = download(treasurer, club, "accounting_invoices_csv", month)
    _, lines = download(treasurer, club, "accounting_invoice_lines_csv", month)
    assert list(lines[0]) == exports.LINE_HEADER
    for invoice in invoices:
        mine = [line for line in lines if line["Invoice number"] == invoice["Number"]]
        assert [int(line["Position"]) for line in mine] == list(range(1, len(mine) + 1))
        total = sum(Decimal(line["Amount"]) for line in mine)
        assert total == Decimal(invoice["Total"]), invoice["Number"]
    aircraft = next(line for line in lines if line["Kind"] == "Aircraft time")
    assert aircraft["Booking id"] and aircraft["Quantity"] == "1.30" and aircraft["Unit price"] == "150.00"


def test_text_that_looks_like_a_formula_is_quoted(club, treasurer, month_of_money):
    month = this_month(club)
    _, lines = download(treasurer, club, "accounting_invoice_lines_csv", month)
    assert any(line["Description"] == "'=cmd|' /C calc'!A0" for line in lines)
    _, payments = download(treasurer, club, "accounting_payments_csv", month)
    assert {p["Reference"] for p in payments} == {"'@SUM(A1)", ""}
    # Numbers we write stay numbers: a credit's minus sign is not quoted.
    _, invoices = download(treasurer, club, "accounting_invoices_csv", month)
    assert "-20.00" in {i["Total"] for i in invoices}


def test_payments_csv(club, treasurer, month_of_money):
    month = this_month(club)
    r, rows = download(treasurer, club, "accounting_payments_csv", month)
    assert list(rows[0]) == exports.PAYMENT_HEADER
    assert r["Content-Disposition"] == f'attachment; filename="payments-tac-{month}.csv"'
    assert sorted((p["Member"], p["Method"], p["Amount"], p["Voided"]) for p in rows) == [
        ("Pilot", "Bank transfer", "100.00", "no"), ("Pilot2", "Cheque", "30.00", "yes")]
    assert {p["Received on"] for p in rows} == {timezone.localdate(timezone=club.tz).isoformat()}


def test_flight_logs_csv(club, treasurer, month_of_money, pilot):
    LogbookEntry.objects.filter(membership=pilot).update(air_minutes=70)
    # An entry from a check-in is dated the day of the check-out (in club time): today here.
    month = this_month(club)
    r, rows = download(treasurer, club, "accounting_flight_logs_csv", month)
    assert list(rows[0]) == exports.FLIGHT_LOG_HEADER
    assert r["Content-Disposition"] == f'attachment; filename="flight-logs-tac-{month}.csv"'
    by_member = {row["Member"]: row for row in rows}
    assert by_member["Pilot"]["Date"] == timezone.localdate(timezone=club.tz).isoformat()
    assert by_member["Pilot"]["Registration"] == "F-GABC" and by_member["Pilot"]["Billed"] in ("yes", "no")
    assert by_member["Pilot"]["Block hours"] == "1.30" and by_member["Pilot"]["Air hours"] == "1.17"
    assert by_member["Pilot2"]["Air hours"] == ""


def test_another_month_is_empty_but_has_its_header(club, treasurer, month_of_money):
    r = client_for(treasurer).get(reverse("accounting_invoices_csv", args=[club.slug]), {"month": "2001-01"})
    assert b"".join(r.streaming_content).decode() == ",".join(exports.INVOICE_HEADER) + "\r\n"


@pytest.mark.parametrize("name", ["accounting_invoices_csv", "accounting_invoice_lines_csv",
                                  "accounting_payments_csv", "accounting_flight_logs_csv"])
def test_a_bad_month_is_400_not_a_file_of_another_month(club, treasurer, name):
    r = client_for(treasurer).get(reverse(name, args=[club.slug]), {"month": "2030-13"})
    assert r.status_code == 400 and "Not a month" in r.content.decode()


def test_an_export_holds_only_the_actors_club(club, treasurer, month_of_money, outsider, other_club):
    invoice_line_add(actor=outsider, member=outsider, description="Theirs", amount=Decimal("5"))
    invoice_issue(actor=outsider, invoice=Invoice.objects.get(account__membership=outsider))
    _, rows = download(treasurer, club, "accounting_invoices_csv", this_month(club))
    assert "Outsider" not in {row["Member"] for row in rows}
    assert client_for(outsider).get(reverse("accounting_invoices_csv", args=[club.slug])).status_code == 404


def test_a_viewer_downloads_a_pilot_does_not(club, viewer, pilot, month_of_money):
    download(viewer, club, "accounting_payments_csv", this_month(club))
    assert client_for(pilot).get(reverse("accounting_payments_csv", args=[club.slug])).status_code == 404
