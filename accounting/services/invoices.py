"""Issuing invoices (one by one or all drafts at once), voiding and crediting them, and the
lines a treasurer adds to a draft by hand. An issued invoice is never edited: it is voided
(while nothing settles it) or credited."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounting import policy
from accounting.events import invoice_payload
from accounting.models import Invoice, InvoiceLine
from accounting.money import as_currency, money_display, round_to
from accounting.services.accounts import account_for, billing_settings_for, money_quantum
from accounting.services.charges import booking_bill, charges_of_lines
from accounting.services.ledger import add_line, draft_for, mark_paid, recount, remove_draft_lines, renumber, settle
from clubs.changes import change_record
from clubs.models import Membership
from dispatch.models import Booking
from core.currencies import minor_units
from core.errors import Conflict, Invalid
from core.text import require_plain_line


def _locked(invoice: Invoice) -> Invoice:
    """The account row, then the invoice's, locked (the account first, as every money change)."""
    account_for(invoice.account.membership, lock=True)
    return Invoice.objects.select_for_update().select_related("account__membership__user", "organization").get(pk=invoice.pk)


def _next_number(organization, kind: str) -> str:
    settings = billing_settings_for(organization, lock=True)
    if kind == Invoice.Kind.CREDIT_NOTE:
        number, settings.next_credit_note_number = settings.next_credit_note_number, settings.next_credit_note_number + 1
        prefix = settings.credit_note_prefix
    else:
        number, settings.next_invoice_number = settings.next_invoice_number, settings.next_invoice_number + 1
        prefix = settings.invoice_prefix
    settings.save(update_fields=["next_invoice_number", "next_credit_note_number"])
    return f"{prefix}{number:05d}"


def _check_not_over_credited(note: Invoice) -> None:
    """A credit note never credits its invoice beyond what that invoice billed: a flight
    credited by hand and then corrected downwards would otherwise be credited twice."""
    original = note.credits
    others = sum((n.total for n in original.credit_notes.exclude(pk=note.pk).filter(
        status__in=(Invoice.Status.ISSUED, Invoice.Status.PAID))), Decimal(0))
    if -(others + note.total) > original.total:
        raise Conflict("credit_exceeds_invoice", f"This credit note would credit {original.number} beyond what it billed "
                       f"({money_display(original.total, original.currency)}), which earlier credit notes already "
                       "credit: offset it with a line on the member's draft invoice, then issue it.")


def _issue(actor: Membership, invoice: Invoice) -> Invoice:
    if not invoice.is_draft:
        raise Conflict("invoice_not_draft", f"{invoice} is already {invoice.get_status_display().lower()}.")
    if not invoice.lines.exists():
        raise Invalid("invoice_empty", "An invoice without lines cannot be issued.")
    recount(invoice)
    # A draft that credits more than it charges (a fuel receipt bigger than a short flight)
    # is what a credit note is: it is issued as one.
    if invoice.total < 0 and invoice.kind == Invoice.Kind.INVOICE:
        if Invoice.objects.filter(account=invoice.account, kind=Invoice.Kind.CREDIT_NOTE,
                                  status=Invoice.Status.DRAFT).exists():
            raise Conflict("invoice_negative", "This draft credits more than it charges: issue the member's draft "
                           "credit note first, or add the missing charges.")
        invoice.kind = Invoice.Kind.CREDIT_NOTE
    if invoice.total > 0 and invoice.kind == Invoice.Kind.CREDIT_NOTE:
        raise Invalid("credit_note_positive", "A credit note gives money back: its lines must add up to less than zero.")
    if invoice.kind == Invoice.Kind.CREDIT_NOTE and invoice.credits_id is not None:
        _check_not_over_credited(invoice)
    renumber(invoice)
    now = timezone.now()
    settings = billing_settings_for(invoice.organization)
    invoice.number = _next_number(invoice.organization, invoice.kind)
    invoice.status, invoice.issued_at, invoice.issued_by = Invoice.Status.ISSUED, now, actor.user
    invoice.due_on = timezone.localtime(now, invoice.organization.tz).date() + timedelta(days=settings.payment_terms_days)
    invoice.save()
    change_record(event="invoice.created", organization=invoice.organization, actor=actor, target=invoice,
                  audit_action="invoice.issued",
                  summary=f"Issued {invoice.get_kind_display().lower()} {invoice.number} to "
                  f"{invoice.account.membership.user.display_name}: {money_display(invoice.total, invoice.currency)}",
                  payload=invoice_payload(invoice))
    if invoice.total == 0 and invoice.kind == Invoice.Kind.INVOICE:
        mark_paid(invoice, actor=actor)
    settle(invoice.account, actor=actor, first=invoice if invoice.kind == Invoice.Kind.INVOICE else invoice.credits)
    invoice.refresh_from_db()
    return invoice


def invoice_issue(*, actor: Membership, invoice: Invoice) -> Invoice:
    """Issue a draft: it gets the next number, a due date, and counts in the balance; the
    member's prepaid money and credit notes settle it at once as far as they go."""
    policy.require_in_club(actor, invoice, "invoice", "invoice_not_found")
    policy.require_treasurer(actor, "issue invoices")
    with transaction.atomic():
        return _issue(actor, _locked(invoice))


def invoices_issue_all(*, actor: Membership, kind: str = Invoice.Kind.INVOICE) -> list[Invoice]:
    """Issue every draft of the club with lines on it (the month's run), each in its own
    transaction so one refused draft does not hold back the others."""
    policy.require_treasurer(actor, "issue invoices")
    issued = []
    for pk in Invoice.objects.filter(organization_id=actor.organization_id, status=Invoice.Status.DRAFT,
                                     kind=kind).order_by("pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                invoice = _locked(Invoice.objects.get(pk=pk))
                if invoice.is_draft and invoice.lines.exists():
                    issued.append(_issue(actor, invoice))
        except (Invalid, Conflict, Invoice.DoesNotExist):
            continue
    return issued


def invoice_void(*, actor: Membership, invoice: Invoice, reason: str) -> Invoice:
    """Void an issued invoice or credit note nothing settles yet (one issued to the wrong
    member, say). It keeps its number and leaves the balance; the flights it billed are
    billed again, on the right member's draft."""
    policy.require_in_club(actor, invoice, "invoice", "invoice_not_found")
    policy.require_treasurer(actor, "void invoices")
    require_plain_line(reason, field="reason", label="The reason")
    if not reason.strip():
        raise Invalid("reason_required", "Say why the invoice is voided.", field="reason")
    with transaction.atomic():
        # The bookings it billed first, in id order, then the account: the order a check-in
        # (booking, then accounts) takes, so a void and a correction of one flight never deadlock.
        booking_ids = sorted(charges_of_lines(invoice.lines.select_related("charge")))
        list(Booking.objects.select_for_update().filter(pk__in=booking_ids).order_by("pk").values_list("pk", flat=True))
        invoice = _locked(invoice)
        if invoice.status not in (Invoice.Status.ISSUED, Invoice.Status.PAID):
            raise Conflict("invoice_not_issued", "Only an issued invoice can be voided (a draft changes until issued).")
        if invoice.allocations.exists() or invoice.allocations_given.exists():
            raise Conflict("invoice_settled", "Payments or credits settle this invoice: credit it instead of voiding it.")
        invoice.status, invoice.voided_at, invoice.void_reason = Invoice.Status.VOID, timezone.now(), reason.strip()[:200]
        invoice.save()
        change_record(event="invoice.voided", organization=invoice.organization, actor=actor, target=invoice,
                      summary=f"Voided {invoice.number}: {invoice.void_reason}", payload=invoice_payload(invoice),
                      details={"reason": invoice.void_reason})
        for booking_id in sorted(charges_of_lines(invoice.lines.select_related("charge"))):
            booking_bill(booking_id=booking_id, actor=actor)
        _credit_expenses_again(invoice)
    return invoice


def _credit_expenses_again(voided: Invoice) -> None:
    """An approved expense is still owed to its member when the invoice that credited it is
    voided: it goes on their draft again. An expense has one line (InvoiceLine.expense is
    one-to-one), so the link moves from the void line to the new one; the void line keeps its
    amount and text."""
    for line in voided.lines.filter(expense__isnull=False).select_related("expense"):
        expense = line.expense
        InvoiceLine.objects.filter(pk=line.pk).update(expense=None)
        add_line(draft_for(voided.account), kind=InvoiceLine.Kind.EXPENSE, expense=expense,
                 description=line.description, quantity=line.quantity, unit_price=line.unit_price, amount=line.amount)


def invoice_credit(*, actor: Membership, invoice: Invoice, reason: str, amount: Decimal | None = None) -> Invoice:
    """Credit an issued invoice: in full (every line, mirrored) or by `amount`, with a
    reason. The credit note is issued at once and settles that invoice first."""
    policy.require_in_club(actor, invoice, "invoice", "invoice_not_found")
    policy.require_treasurer(actor, "credit invoices")
    require_plain_line(reason, field="reason", label="The reason")
    if not reason.strip():
        raise Invalid("reason_required", "Say why the invoice is credited.", field="reason")
    with transaction.atomic():
        invoice = _locked(invoice)
        if invoice.kind != Invoice.Kind.INVOICE or invoice.status not in (Invoice.Status.ISSUED, Invoice.Status.PAID):
            raise Conflict("invoice_not_issued", "Only an issued invoice can be credited.")
        already = -sum((n.total for n in invoice.credit_notes.exclude(status=Invoice.Status.VOID)), Decimal(0))
        creditable = invoice.total - already
        if amount is not None and amount != as_currency(amount, invoice.currency):
            raise Invalid("amount_precision", f"{invoice.currency} amounts have no more than "
                          f"{minor_units(invoice.currency)} decimal places.", field="amount")
        if amount is not None and not Decimal(0) < amount <= creditable:
            raise Invalid("credit_out_of_range", f"Credit more than 0 and at most {creditable} (what is not yet credited).",
                          field="amount")
        if amount is None and creditable <= 0:
            raise Conflict("invoice_fully_credited", "This invoice is already credited in full.")
        if Invoice.objects.filter(account=invoice.account, kind=Invoice.Kind.CREDIT_NOTE, status=Invoice.Status.DRAFT).exists():
            raise Conflict("credit_note_draft_pending", "This member has a draft credit note: issue or empty it first.")
        note = Invoice.objects.create(organization=invoice.organization, account=invoice.account,
                                      kind=Invoice.Kind.CREDIT_NOTE, currency=invoice.currency, credits=invoice,
                                      notes=reason.strip()[:300])
        if amount is None and not already:
            for line in invoice.lines.order_by("position"):
                add_line(note, kind=InvoiceLine.Kind.MANUAL, description=f"Credit: {line.description}"[:200],
                         quantity=line.quantity, unit_price=-line.unit_price, amount=-line.amount)
        else:
            value = creditable if amount is None else amount
            add_line(note, kind=InvoiceLine.Kind.MANUAL, description=f"Credit on {invoice.number}: {reason.strip()}"[:200],
                     quantity=Decimal(1), unit_price=-value, amount=-value)
        return _issue(actor, note)


def invoice_line_add(*, actor: Membership, member: Membership, description: str, amount: Decimal,
                     quantity: Decimal = Decimal(1)) -> InvoiceLine:
    """A line the treasurer adds by hand to a member's draft (a membership fee, a landing fee,
    a goodwill credit when negative)."""
    policy.require_account_holder(actor, member)
    policy.require_treasurer(actor, "add invoice lines")
    require_plain_line(description, field="description", label="The description")
    if not description.strip():
        raise Invalid("description_required", "Describe the line.", field="description")
    if quantity is None or not Decimal(0) < quantity <= Decimal(10000):
        raise Invalid("quantity_out_of_range", "Give a quantity above 0.", field="quantity")
    if amount is None or amount == 0 or abs(amount) >= Decimal("100000000"):
        raise Invalid("amount_out_of_range", "Give a unit price other than 0.", field="amount")
    with transaction.atomic():
        account = account_for(member, lock=True)
        # Rounded as every billed amount is (half-up, to the club's step and never finer than the
        # currency: no half-yen lines).
        total = round_to(quantity * amount, money_quantum(billing_settings_for(actor.organization)))
        line = add_line(draft_for(account), kind=InvoiceLine.Kind.MANUAL, description=description.strip()[:200],
                        quantity=quantity, unit_price=amount, amount=total)
        change_record(event="invoice.changed", organization=actor.organization, actor=actor, target=line.invoice,
                      summary=f"Added \u201c{line.description}\u201d ({total}) to the draft of {member.user.display_name}",
                      details={"line_id": line.pk, "amount": str(total)}, payload=invoice_payload(line.invoice))
    return line


def invoice_line_remove(*, actor: Membership, line: InvoiceLine) -> None:
    """Take a hand-added line off a draft. Lines billed for a flight follow the flight (its
    meters, its terms), not a delete; an issued invoice's lines never change."""
    policy.require_in_club(actor, line.invoice, "invoice line", "invoice_line_not_found")
    policy.require_treasurer(actor, "remove invoice lines")
    with transaction.atomic():
        invoice = _locked(line.invoice)
        line = InvoiceLine.objects.filter(pk=line.pk, invoice=invoice).first()
        if line is None:
            raise Conflict("invoice_line_gone", "That line is no longer on the draft.")
        if not invoice.is_draft:
            raise Conflict("invoice_not_draft", "An issued invoice is never edited: credit it instead.")
        if line.kind != InvoiceLine.Kind.MANUAL:
            raise Conflict("invoice_line_billed", "This line bills a flight or an expense: correct the check-in or "
                           "the expense instead.")
        summary = f"Removed \u201c{line.description}\u201d from the draft of {invoice.account.membership.user.display_name}"
        amount = str(line.amount)
        remove_draft_lines([line])
        change_record(event="invoice.changed", organization=actor.organization, actor=actor, target=invoice,
                      summary=summary, details={"amount": amount}, payload=invoice_payload(invoice))

