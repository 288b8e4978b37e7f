from datetime import date
from decimal import Decimal

from accounting.models import Invoice, InvoiceLine
from accounting.selectors import account_balance
from accounting.services.accounts import account_for
from accounting.services.invoices import invoice_issue
from accounting.services.payments import payment_record


def test_check_in_bills_issue_and_pay(booking, fly, pilot, treasurer):
    fly(booking, "1.3")
    line = InvoiceLine.objects.get()
    assert line.amount == Decimal("195.000") and line.invoice.status == "draft"
    invoice = invoice_issue(actor=treasurer, invoice=line.invoice)
    assert invoice.number == "INV-00001"
    account = account_for(pilot)
    assert account_balance(account).owed == Decimal("195")
    payment_record(actor=treasurer, member=pilot, amount=Decimal("200"), method="cash", received_on=date(2026, 1, 1))
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert account_balance(account).owed == Decimal("-5")
