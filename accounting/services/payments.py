"""Payments a treasurer records, and voids when recorded in error. A payment settles the
invoice it is for, then the oldest open ones; what is left is a prepaid deposit that settles
the next invoices as they are issued."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounting import policy
from accounting.events import payment_payload
from accounting.models import Invoice, Payment
from accounting.money import as_currency, money_display
from core.currencies import minor_units
from accounting.services.accounts import account_for
from accounting.services.ledger import settle, unsettle
from clubs.changes import change_record
from clubs.models import Membership
from core.errors import Conflict, Invalid, NotFound
from core.text import require_plain_line

MAX_PAYMENT = Decimal("100000000")


def payment_record(*, actor: Membership, member: Membership, amount: Decimal, method: str, received_on: date,
                   reference: str = "", note: str = "", invoice: Invoice | None = None) -> Payment:
    policy.require_account_holder(actor, member)
    policy.require_treasurer(actor, "record payments")
    if amount is None or not Decimal(0) < amount < MAX_PAYMENT:
        raise Invalid("amount_out_of_range", "Give an amount above 0.", field="amount")
    currency = actor.organization.currency
    if amount != as_currency(amount, currency):
        raise Invalid("amount_precision", f"Give the amount to {minor_units(currency)} decimal places at most "
                      f"({currency} has no smaller unit).", field="amount")
    if method not in Payment.Method.values:
        raise Invalid("payment_method_unknown", "Choose cash, cheque, card, bank transfer or other.", field="method")
    if received_on is None or received_on > timezone.localdate(timezone=actor.organization.tz):
        raise Invalid("received_in_future", "A payment is recorded once received: give today or an earlier day.",
                      field="received_on")
    require_plain_line(reference, field="reference", label="The reference")
    require_plain_line(note, field="note", label="The note")
    if invoice is not None and (invoice.organization_id != actor.organization_id or invoice.account.membership_id != member.pk):
        raise NotFound("invoice_not_found", "No such invoice of this member.", field="invoice")
    with transaction.atomic():
        account = account_for(member, lock=True)
        payment = Payment.objects.create(organization_id=actor.organization_id, account=account, amount=amount,
                                         method=method, reference=reference.strip()[:80], note=note.strip()[:200],
                                         received_on=received_on, recorded_by=actor.user)
        change_record(event="payment.recorded", organization=actor.organization, actor=actor, target=payment,
                      summary=f"Recorded {payment.get_method_display().lower()} payment of "
                      f"{money_display(amount, actor.organization.currency)} from {member.user.display_name}"
                      + (f" ({payment.reference})" if payment.reference else ""),
                      payload=payment_payload(payment, actor.organization.currency))
        settle(account, actor=actor, first=invoice)
    return payment


def payment_void(*, actor: Membership, payment: Payment, reason: str) -> Payment:
    """A payment recorded in error (a bounced cheque, the wrong member): the invoices it
    settled are open again, and the member's other credit settles them as far as it goes."""
    policy.require_in_club(actor, payment, "payment", "payment_not_found")
    policy.require_treasurer(actor, "void payments")
    require_plain_line(reason, field="reason", label="The reason")
    if not reason.strip():
        raise Invalid("reason_required", "Say why the payment is voided.", field="reason")
    with transaction.atomic():
        account = account_for(payment.account.membership, lock=True)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.voided_at is not None:
            raise Conflict("payment_voided", "This payment is already voided.")
        unsettle(list(payment.allocations.all()))
        payment.voided_at, payment.void_reason = timezone.now(), reason.strip()[:200]
        payment.save()
        change_record(event="payment.voided", organization=actor.organization, actor=actor, target=payment,
                      summary=f"Voided the payment {payment} of {account.membership.user.display_name}: {payment.void_reason}",
                      payload=payment_payload(payment, actor.organization.currency), details={"reason": payment.void_reason})
        settle(account, actor=actor)
    return payment
