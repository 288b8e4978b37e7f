"""Who may see and move money (accounting.policy, enforced by every service)."""

from datetime import date
from decimal import Decimal

import pytest

from accounting import policy
from accounting.models import Invoice
from accounting.services.accounts import account_for
from accounting.services.expenses import expense_decide, expense_submit
from accounting.services.invoices import (invoice_credit, invoice_issue, invoice_line_add, invoice_void,
                                          invoices_issue_all)
from accounting.services.payments import payment_record, payment_void
from accounting.services.terms import account_update, aircraft_terms_update, instructor_rate_update
from clubs.models import AuditEvent
from core.errors import NotAllowed, NotFound

D = Decimal
PAST = date(2026, 1, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(treasurer, pilot, pilot2):
    """An issued invoice and a payment for pilot, a draft for pilot2."""
    invoice_line_add(actor=treasurer, member=pilot, description="Fee", amount=D("100"))
    issued = invoice_issue(actor=treasurer, invoice=Invoice.objects.get(account__membership=pilot))
    payment = payment_record(actor=treasurer, member=pilot, amount=D("40"), method="cash", received_on=PAST)
    invoice_line_add(actor=treasurer, member=pilot2, description="Fee", amount=D("10"))
    return {"issued": issued, "payment": payment, "draft": Invoice.objects.get(account__membership=pilot2)}


def money_writes(actor, ledger, pilot, aircraft, instructor):
    return [
        lambda: invoice_issue(actor=actor, invoice=ledger["draft"]),
        lambda: invoice_void(actor=actor, invoice=ledger["issued"], reason="x"),
        lambda: invoice_credit(actor=actor, invoice=ledger["issued"], reason="x"),
        lambda: invoice_line_add(actor=actor, member=pilot, description="Fee", amount=D("1")),
        lambda: invoices_issue_all(actor=actor),
        lambda: payment_record(actor=actor, member=pilot, amount=D("1"), method="cash", received_on=PAST),
        lambda: payment_void(actor=actor, payment=ledger["payment"], reason="x"),
        lambda: account_update(actor=actor, member=pilot, group="student", credit_limit=None),
        lambda: instructor_rate_update(actor=actor, instructor=instructor, flight_rate=D("1"), ground_rate=D("1")),
        lambda: aircraft_terms_update(actor=actor, aircraft=aircraft, basis="hobbs", wet=True, taxi_allowance_minutes=0,
                                      minimum_hours=D("0"), member_rate=D("1"), student_rate=None, non_member_rate=None),
    ]


@pytest.mark.parametrize("who", ["pilot", "viewer", "dispatcher", "instructor"])
def test_only_the_treasurer_and_admins_move_money(request, who, ledger, pilot, aircraft, instructor):
    actor = request.getfixturevalue(who)
    audited = AuditEvent.objects.count()
    for write in money_writes(actor, ledger, pilot, aircraft, instructor):
        with pytest.raises(NotAllowed):
            write()
    assert AuditEvent.objects.count() == audited


def test_an_outsider_finds_nothing(outsider, ledger, pilot, aircraft, instructor):
    writes = money_writes(outsider, ledger, pilot, aircraft, instructor)
    del writes[4]  # issue-all names nothing of another club: it issues the outsider's own club's drafts
    for write in writes:
        with pytest.raises(NotFound):
            write()
    with pytest.raises(NotFound):
        policy.require_account_visible(outsider, account_for(pilot))
    assert not policy.visible_invoices(outsider).filter(organization=pilot.organization).exists()


@pytest.mark.parametrize("who", ["treasurer", "admin"])
def test_the_treasurer_and_admins_do_everything_money_and_each_change_is_audited(request, who, ledger, pilot,
                                                                               aircraft, instructor):
    actor = request.getfixturevalue(who)
    assert not actor.is_admin or who == "admin"
    for write in money_writes(actor, ledger, pilot, aircraft, instructor):
        before = AuditEvent.objects.count()
        try:
            write()
        except NotAllowed:  # pragma: no cover - the assertion says which
            pytest.fail("refused a treasurer")
        except Exception:  # noqa: BLE001, S110 - a state refusal (already voided...) is not a permission one
            continue
        assert AuditEvent.objects.count() > before


def test_a_pilot_sees_only_their_own(pilot, pilot2, ledger):
    assert set(policy.visible_accounts(pilot)) == {account_for(pilot)}
    assert set(policy.visible_invoices(pilot)) == {ledger["issued"]}
    assert set(policy.visible_payments(pilot)) == {ledger["payment"]}
    assert set(policy.visible_invoices(pilot2)) == {ledger["draft"]}
    policy.require_account_visible(pilot, account_for(pilot))
    with pytest.raises(NotFound):
        policy.require_account_visible(pilot, account_for(pilot2))


def test_a_viewer_reads_every_account(viewer, pilot, pilot2, ledger):
    assert set(policy.visible_invoices(viewer)) == {ledger["issued"], ledger["draft"]}
    policy.require_account_visible(viewer, account_for(pilot2))
    assert policy.may_see_all_accounts(viewer) and not policy.may_manage_accounts(viewer)


def test_an_inactive_member_sees_nothing(pilot, ledger):
    pilot.is_active = False
    pilot.save()
    assert not policy.visible_invoices(pilot).exists()


def test_a_pilot_expense_waits_and_expense_changes_are_audited(pilot, treasurer):
    expense = expense_submit(actor=pilot, member=pilot, spent_on=PAST, description="Oil", amount=D("5"))
    expense_decide(actor=treasurer, expense=expense, approve=True)
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {"expense.submitted", "expense.decided"}


def test_issue_void_credit_are_audited(treasurer, pilot, ledger):
    invoice_credit(actor=treasurer, invoice=ledger["issued"], reason="goodwill", amount=D("5"))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"invoice.issued", "invoice.changed", "payment.recorded"} <= actions
