"""Expenses: money a member spent for the club. A member submits their own; the treasurer
approves (credited on the member's draft invoice) or rejects, or records one approved."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounting import policy
from accounting.events import expense_payload
from accounting.models import Expense, InvoiceLine
from accounting.money import as_currency, money_display
from core.currencies import minor_units
from accounting.services.accounts import account_for
from accounting.services.ledger import add_line, draft_for
from clubs.changes import change_record
from clubs.models import Membership
from core.errors import Conflict, Invalid, NotAllowed
from core.text import require_plain_line


def _credit(expense: Expense, actor: Membership) -> None:
    add_line(draft_for(expense.account), kind=InvoiceLine.Kind.EXPENSE, expense=expense,
             description=f"Expense {expense.spent_on}: {expense.description}"[:200],
             quantity=Decimal(1), unit_price=-expense.amount, amount=-expense.amount)
    expense.status, expense.decided_by, expense.decided_at = Expense.Status.APPROVED, actor.user, timezone.now()
    expense.save()


def expense_submit(*, actor: Membership, member: Membership, spent_on: date, description: str, amount: Decimal,
                   receipt_reference: str = "") -> Expense:
    """A member's own expense waits for the treasurer; one the treasurer records for a member
    is approved at once."""
    policy.require_account_holder(actor, member)
    treasurer = policy.may_manage_accounts(actor)
    if member.pk != actor.pk and not treasurer:
        raise NotAllowed("not_allowed", "Members submit their own expenses; the treasurer records others'.")
    require_plain_line(description, field="description", label="The description")
    require_plain_line(receipt_reference, field="receipt_reference", label="The receipt reference")
    if not description.strip():
        raise Invalid("description_required", "Say what the money was spent on.", field="description")
    if amount is None or not Decimal(0) < amount < Decimal("1000000"):
        raise Invalid("amount_out_of_range", "Give an amount above 0.", field="amount")
    if amount != as_currency(amount, actor.organization.currency):
        raise Invalid("amount_precision", f"Give the amount to {minor_units(actor.organization.currency)} decimal "
                      "places at most.", field="amount")
    if spent_on is None or spent_on > timezone.localdate(timezone=actor.organization.tz):
        raise Invalid("spent_in_future", "Give the day the money was spent (today or earlier).", field="spent_on")
    with transaction.atomic():
        account = account_for(member, lock=True)
        expense = Expense.objects.create(organization_id=actor.organization_id, account=account, spent_on=spent_on,
                                         description=description.strip()[:200], amount=amount,
                                         receipt_reference=receipt_reference.strip()[:80], submitted_by=actor.user)
        if treasurer:
            _credit(expense, actor)
        change_record(event="expense.submitted", organization=actor.organization, actor=actor, target=expense,
                      summary=f"{'Recorded' if treasurer else 'Submitted'} expense of "
                      f"{money_display(amount, actor.organization.currency)} for {member.user.display_name}: "
                      f"{expense.description}", payload=expense_payload(expense, actor.organization.currency))
    return expense


def expense_decide(*, actor: Membership, expense: Expense, approve: bool, note: str = "") -> Expense:
    policy.require_in_club(actor, expense, "expense", "expense_not_found")
    policy.require_treasurer(actor, "approve expenses")
    require_plain_line(note, field="note", label="The note")
    with transaction.atomic():
        account_for(expense.account.membership, lock=True)
        expense = Expense.objects.select_for_update().select_related("account__membership__user").get(pk=expense.pk)
        if expense.status != Expense.Status.SUBMITTED:
            raise Conflict("expense_decided", f"This expense is already {expense.get_status_display().lower()}.")
        expense.decision_note = note.strip()[:200]
        if approve:
            _credit(expense, actor)
        else:
            expense.status, expense.decided_by, expense.decided_at = Expense.Status.REJECTED, actor.user, timezone.now()
            expense.save()
        change_record(event="expense.decided", organization=actor.organization, actor=actor, target=expense,
                      summary=f"{'Approved' if approve else 'Rejected'} the expense of "
                      f"{expense.account.membership.user.display_name}: {expense.description}",
                      payload=expense_payload(expense, actor.organization.currency))
    return expense
