"""The payloads of accounting's change events (docs/events.md lists them). Money is a string
with its currency, as in the API."""

from accounting.models import Expense, Invoice, Payment
from accounting.money import money_text


def money(amount, currency: str) -> dict:
    return {"amount": money_text(amount, currency), "currency": currency}


def invoice_payload(invoice: Invoice) -> dict:
    return {"id": invoice.pk, "number": invoice.number, "kind": invoice.kind, "status": invoice.status,
            "member_id": invoice.account.membership_id, "total": money(invoice.total, invoice.currency),
            "issued_at": invoice.issued_at.isoformat() if invoice.issued_at else None,
            "due_on": invoice.due_on.isoformat() if invoice.due_on else None,
            "credits_invoice_id": invoice.credits_id}


def payment_payload(payment: Payment, currency: str) -> dict:
    return {"id": payment.pk, "member_id": payment.account.membership_id, "amount": money(payment.amount, currency),
            "method": payment.method, "reference": payment.reference, "received_on": payment.received_on.isoformat(),
            "voided": payment.voided_at is not None}


def expense_payload(expense: Expense, currency: str) -> dict:
    return {"id": expense.pk, "member_id": expense.account.membership_id, "amount": money(expense.amount, currency),
            "spent_on": expense.spent_on.isoformat(), "description": expense.description, "status": expense.status}
