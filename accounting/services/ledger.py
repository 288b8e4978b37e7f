"""The mechanics under every money service: an account's open draft, numbered lines and
totals, and settling issued invoices with payments and credit notes.

Nothing here checks an actor: the services in this package do, then call these inside their
transaction with the member's account row locked (accounting.services.accounts.account_for),
so two changes to one account never interleave."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Sum
from django.utils import timezone

from accounting.events import invoice_payload
from accounting.models import Account, Allocation, Invoice, InvoiceLine, Payment
from accounting.money import stored
from clubs.changes import change_record
from core.entry_points import system_entry_point
from core.errors import Invalid

MAX_AMOUNT = Decimal("1000000000")  # what the 12-digit money columns (3 places) can hold


def _sum(qs, field: str = "amount") -> Decimal:
    return stored(qs.aggregate(total=Sum(field))["total"])


@system_entry_point("a ledger step of the money services, which checked the actor and hold the account lock")
def draft_for(account: Account, kind: str = Invoice.Kind.INVOICE, credits: Invoice | None = None) -> Invoice:
    """The account's open draft of `kind`, made if there is none (one per account and kind)."""
    draft = Invoice.objects.filter(account=account, kind=kind, status=Invoice.Status.DRAFT).first()
    if draft is None:
        draft = Invoice.objects.create(organization_id=account.organization_id, account=account, kind=kind,
                                       currency=account.organization.currency, credits=credits)
    elif credits is not None and draft.credits_id is None:
        draft.credits = credits
        draft.save(update_fields=["credits", "updated_at"])
    return draft


@system_entry_point("a ledger step of the money services, which checked the actor and hold the account lock")
def add_line(invoice: Invoice, **fields) -> InvoiceLine:
    if abs(fields["amount"]) >= MAX_AMOUNT:
        raise Invalid("amount_out_of_range", f"An invoice line stays under {MAX_AMOUNT:,}: check the figures.",
                      field="amount")
    position = (invoice.lines.aggregate(last=Max("position"))["last"] or 0) + 1
    line = InvoiceLine.objects.create(invoice=invoice, position=position, **fields)
    recount(invoice)
    return line


@system_entry_point("a ledger step of the money services, which checked the actor and hold the account lock")
def recount(invoice: Invoice) -> None:
    invoice.total = _sum(invoice.lines.all())
    # The columns hold 12 digits: refused here (and the transaction undone) rather than a
    # database error, or on SQLite a value no page could read back.
    if abs(invoice.total) >= MAX_AMOUNT:
        raise Invalid("invoice_total_out_of_range", f"An invoice's total stays under {MAX_AMOUNT:,}: "
                      "check the figures of its lines.")
    Invoice.objects.filter(pk=invoice.pk).update(total=invoice.total, updated_at=timezone.now())


@system_entry_point("a ledger step of the money services, which checked the actor and hold the account lock")
def remove_draft_lines(lines) -> None:
    """Take lines off their drafts; a draft left empty goes (it has no number to keep)."""
    drafts = {}
    for line in lines:
        if not line.invoice.is_draft:
            raise RuntimeError("an issued invoice's lines never change")
        drafts[line.invoice_id] = line.invoice
        line.delete()
    for draft in drafts.values():
        if draft.lines.exists():
            recount(draft)
        else:
            draft.delete()


@system_entry_point("a ledger step of invoice_issue, which checked the actor")
def renumber(invoice: Invoice) -> None:
    """Lines numbered 1, 2, 3... with no gaps left by removed draft lines."""
    for position, line in enumerate(invoice.lines.order_by("position", "pk"), start=1):
        if line.position != position:
            InvoiceLine.objects.filter(pk=line.pk).update(position=position)


@system_entry_point("a read of one invoice for the money services")
def open_amount(invoice: Invoice) -> Decimal:
    return invoice.total - _sum(invoice.allocations.all())


@system_entry_point("a read of one payment for the money services")
def payment_unallocated(payment: Payment) -> Decimal:
    return payment.amount - _sum(payment.allocations.all())


@system_entry_point("a read of one credit note for the money services")
def credit_note_unallocated(note: Invoice) -> Decimal:
    return -note.total - _sum(note.allocations_given.all())


@dataclass
class _Source:
    payment: Payment | None
    note: Invoice | None
    left: Decimal


def _sources(account: Account) -> list[_Source]:
    notes = [_Source(None, n, credit_note_unallocated(n)) for n in Invoice.objects.filter(
        account=account, kind=Invoice.Kind.CREDIT_NOTE, status=Invoice.Status.ISSUED).order_by("issued_at", "pk")]
    payments = [_Source(p, None, payment_unallocated(p)) for p in Payment.objects.filter(
        account=account, voided_at__isnull=True).order_by("received_on", "pk")]
    return [s for s in notes + payments if s.left > 0]


@system_entry_point("a ledger step of the money services, which checked the actor (recorded as who settled)")
def settle(account: Account, *, actor=None, first: Invoice | None = None) -> list[Invoice]:
    """Allocate the account's unallocated payments and credit notes to its open invoices:
    `first` before the others, then the oldest first, a credit note to the invoice it
    credits before any other. Returns the invoices this paid in full (each announced)."""
    sources = _sources(account)
    if not sources:
        return []
    invoices = list(Invoice.objects.filter(account=account, kind=Invoice.Kind.INVOICE, status=Invoice.Status.ISSUED)
                    .order_by("issued_at", "pk"))
    if first is not None:
        invoices.sort(key=lambda i: i.pk != first.pk)
    paid = []
    for invoice in invoices:
        owed = open_amount(invoice)
        for source in sorted(sources, key=lambda s: not (s.note is not None and s.note.credits_id == invoice.pk)):
            if owed <= 0:
                break
            take = min(owed, source.left)
            if take <= 0:
                continue
            Allocation.objects.create(organization_id=account.organization_id, invoice=invoice, amount=take,
                                      payment=source.payment, credit_note=source.note)
            source.left -= take
            owed -= take
        if owed <= 0:
            mark_paid(invoice, actor=actor)
            paid.append(invoice)
        sources = [s for s in sources if s.left > 0]
        if not sources:
            break
    return paid


@system_entry_point("a ledger step of the money services, which checked the actor (recorded as who settled)")
def mark_paid(invoice: Invoice, *, actor=None) -> None:
    invoice.status, invoice.paid_at = Invoice.Status.PAID, timezone.now()
    invoice.save(update_fields=["status", "paid_at", "updated_at"])
    change_record(event="invoice.paid", organization=invoice.organization, actor=actor, target=invoice,
                  summary=f"Invoice {invoice.number} paid", payload=invoice_payload(invoice))


@system_entry_point("a ledger step of payment_void, which checked the actor")
def unsettle(allocations) -> None:
    """Undo allocations (a payment or credit note voided): their invoices are open again."""
    invoice_ids = {a.invoice_id for a in allocations}
    for a in allocations:
        a.delete()
    Invoice.objects.filter(pk__in=invoice_ids, status=Invoice.Status.PAID).update(
        status=Invoice.Status.ISSUED, paid_at=None, updated_at=timezone.now())
