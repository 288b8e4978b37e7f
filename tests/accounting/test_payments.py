"""Payments: FIFO settling, the invoice paid first, deposits, voids that re-open."""

from datetime import date
from decimal import Decimal

import pytest

from accounting.models import Invoice
from accounting.selectors import account_balance
from accounting.services.accounts import account_for
from accounting.services.invoices import invoice_issue, invoice_line_add
from accounting.services.payments import payment_record, payment_void
from accounting.services.terms import billing_settings_update
from core.errors import Conflict, Invalid, NotFound

D = Decimal
PAST = date(2026, 1, 1)
pytestmark = pytest.mark.django_db


def issue(treasurer, member, amount):
    invoice_line_add(actor=treasurer, member=member, description="Fee", amount=D(amount))
    return invoice_issue(actor=treasurer,
                         invoice=Invoice.objects.get(account__membership=member, status="draft", kind="invoice"))


def pay(treasurer, member, amount, **kw):
    return payment_record(actor=treasurer, member=member, amount=D(amount), method="cash", received_on=PAST, **kw)


def status(invoice):
    invoice.refresh_from_db()
    return invoice.status


def allocated(invoice):
    return sum((a.amount for a in invoice.allocations.all()), D(0))


def test_a_payment_settles_the_oldest_first(treasurer, pilot):
    first, second = issue(treasurer, pilot, "100"), issue(treasurer, pilot, "50")
    pay(treasurer, pilot, "120")
    assert (status(first), status(second)) == ("paid", "issued")
    assert (allocated(first), allocated(second)) == (D("100"), D("20"))
    assert account_balance(account_for(pilot)).owed == D("30")


def test_a_payment_for_an_invoice_settles_it_first(treasurer, pilot):
    first, second = issue(treasurer, pilot, "100"), issue(treasurer, pilot, "50")
    pay(treasurer, pilot, "60", invoice=second)
    assert (status(first), status(second)) == ("issued", "paid")
    assert allocated(first) == D("10")


def test_a_deposit_settles_the_next_invoice_issued(treasurer, pilot):
    pay(treasurer, pilot, "80")
    assert account_balance(account_for(pilot)).owed == D("-80")
    invoice = issue(treasurer, pilot, "50")
    assert status(invoice) == "paid" and account_balance(account_for(pilot)).owed == D("-30")
    later = issue(treasurer, pilot, "50")
    assert status(later) == "issued" and allocated(later) == D("30")


def test_voiding_a_payment_reopens_its_invoices_and_other_money_settles_them(treasurer, pilot):
    invoice = issue(treasurer, pilot, "100")
    bounced = pay(treasurer, pilot, "100")
    assert status(invoice) == "paid"
    pay(treasurer, pilot, "40")
    payment_void(actor=treasurer, payment=bounced, reason="cheque bounced")
    assert status(invoice) == "issued" and allocated(invoice) == D("40")
    assert account_balance(account_for(pilot)).owed == D("60")
    with pytest.raises(Conflict) as refused:
        payment_void(actor=treasurer, payment=bounced, reason="again")
    assert refused.value.code == "payment_voided"


def test_refusals(treasurer, pilot, pilot2):
    for amount, code in (("0", "amount_out_of_range"), ("-5", "amount_out_of_range"), ("1.0001", "amount_precision")):
        with pytest.raises(Invalid) as refused:
            pay(treasurer, pilot, amount)
        assert refused.value.code == code
    with pytest.raises(Invalid) as refused:
        payment_record(actor=treasurer, member=pilot, amount=D("5"), method="gold", received_on=PAST)
    assert refused.value.code == "payment_method_unknown"
    with pytest.raises(Invalid) as refused:
        payment_record(actor=treasurer, member=pilot, amount=D("5"), method="cash", received_on=date(2999, 1, 1))
    assert refused.value.code == "received_in_future"
    other = issue(treasurer, pilot2, "10")
    with pytest.raises(NotFound):
        pay(treasurer, pilot, "5", invoice=other)


def test_no_payment_finer_than_the_currency(treasurer, pilot):
    billing_settings_update(actor=treasurer, currency="JPY", hours_step="0.1", money_step="1", payment_terms_days=30,
                            invoice_prefix="INV-", credit_note_prefix="CN-", credit_limits={})
    pilot.organization.refresh_from_db()
    with pytest.raises(Invalid) as refused:
        pay(treasurer, pilot, "100.5")
    assert refused.value.code == "amount_precision"


def test_a_payment_is_audited(treasurer, pilot):
    from clubs.models import AuditEvent

    payment = pay(treasurer, pilot, "10")
    payment_void(actor=treasurer, payment=payment, reason="typo")
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {"payment.recorded", "payment.voided"}
