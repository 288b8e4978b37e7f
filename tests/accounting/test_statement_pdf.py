"""The statement PDF: a real PDF with the statement's own figures, in a core font."""

from datetime import date
from decimal import Decimal

from accounting.money import money_display
from accounting.models import InvoiceLine
from accounting.selectors import account_balance, statement
from accounting.services.accounts import account_for
from accounting.services.invoices import invoice_issue
from accounting.services.payments import payment_record
from accounting.statement_pdf import latin1, statement_pdf


def _pdf(pilot, club, **kw):
    found = statement(account_for(pilot), date(2020, 1, 1), date(2035, 1, 1))
    return found, statement_pdf(found, club_name=club.name, member_name="Pilot \u201cAce\u201d",
                                currency=club.currency, **kw)


def test_pdf_carries_the_closing_balance(booking, fly, treasurer, pilot, club):
    fly(booking, "1.3")
    invoice = invoice_issue(actor=treasurer, invoice=InvoiceLine.objects.get().invoice)
    found, content = _pdf(pilot, club, compress=False)
    assert content.startswith(b"%PDF")
    assert found.closing == account_balance(account_for(pilot)).owed == Decimal("195")
    assert money_display(found.closing, club.currency).encode("latin-1") in content
    assert invoice.number.encode() in content


def test_a_credit_prints_with_a_plain_minus(booking, fly, treasurer, pilot, club):
    fly(booking, "1.3")
    invoice_issue(actor=treasurer, invoice=InvoiceLine.objects.get().invoice)
    payment_record(actor=treasurer, member=pilot, amount=Decimal("200"), method="cash", received_on=date(2026, 1, 1))
    found, content = _pdf(pilot, club, compress=False)
    assert found.closing == Decimal("-5")
    assert latin1(money_display(found.closing, club.currency)).encode() in content
    assert latin1(money_display(found.closing, club.currency)).startswith("-")


def test_compressed_pdf_and_an_empty_statement(pilot, club):
    found, content = _pdf(pilot, club)
    assert content.startswith(b"%PDF") and found.rows == [] and found.closing == 0


def test_latin1_replaces_what_a_core_font_cannot_show():
    assert latin1("\u2212EUR 5 \u2014 caf\u00e9 \u2708") == "-EUR 5 - caf\u00e9 ?"
