"""Expenses: submitted by a member, decided by the treasurer, credited on the draft."""

from datetime import date
from decimal import Decimal

import pytest

from accounting.models import Expense, Invoice
from accounting.selectors import account_balance
from accounting.services.accounts import account_for
from accounting.services.expenses import expense_decide, expense_submit
from accounting.services.invoices import invoice_issue
from core.errors import Conflict, Invalid, NotAllowed

D = Decimal
PAST = date(2026, 1, 1)
pytestmark = pytest.mark.django_db


def submit(actor, member, amount="20"):
    return expense_submit(actor=actor, member=member, spent_on=PAST, description="Oil", amount=D(amount))


def test_a_member_submits_and_the_treasurer_approves_a_credit(pilot, treasurer):
    expense = submit(pilot, pilot)
    assert expense.status == "submitted" and not Invoice.objects.exists()
    expense_decide(actor=treasurer, expense=expense, approve=True)
    expense.refresh_from_db()
    assert expense.status == "approved" and expense.line.amount == D("-20")
    draft = Invoice.objects.get(status="draft")
    assert draft.total == D("-20")
    issued = invoice_issue(actor=treasurer, invoice=draft)  # all credit: a credit note
    assert issued.kind == "credit_note" and account_balance(account_for(pilot)).owed == D("-20")


def test_rejected_is_not_credited(pilot, treasurer):
    expense = expense_decide(actor=treasurer, expense=submit(pilot, pilot), approve=False, note="no receipt")
    assert expense.status == "rejected" and not Invoice.objects.exists()
    with pytest.raises(Conflict) as refused:
        expense_decide(actor=treasurer, expense=expense, approve=True)
    assert refused.value.code == "expense_decided"


def test_the_treasurer_records_one_approved(pilot, treasurer):
    expense = submit(treasurer, pilot)
    assert expense.status == "approved" and Invoice.objects.get().total == D("-20")


def test_a_pilot_submits_only_their_own_and_decides_none(pilot, pilot2):
    with pytest.raises(NotAllowed):
        submit(pilot, pilot2)
    expense = submit(pilot, pilot)
    with pytest.raises(NotAllowed):
        expense_decide(actor=pilot, expense=expense, approve=True)
    assert Expense.objects.get().status == "submitted"


def test_refusals(pilot):
    with pytest.raises(Invalid) as refused:
        submit(pilot, pilot, "0")
    assert refused.value.code == "amount_out_of_range"
    with pytest.raises(Invalid) as refused:
        expense_submit(actor=pilot, member=pilot, spent_on=date(2999, 1, 1), description="Oil", amount=D("1"))
    assert refused.value.code == "spent_in_future"
    with pytest.raises(Invalid) as refused:
        expense_submit(actor=pilot, member=pilot, spent_on=PAST, description=" ", amount=D("1"))
    assert refused.value.code == "description_required"
    with pytest.raises(Invalid) as refused:
        submit(pilot, pilot, "1.0001")
    assert refused.value.code == "amount_precision"
