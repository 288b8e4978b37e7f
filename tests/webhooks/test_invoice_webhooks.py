"""Accounting's webhooks over real HTTP to a receiver on loopback: invoice.created when a draft
is issued, invoice.paid when payments settle it, payment.recorded and invoice.voided; each
signed (verified by standardwebhooks) with the invoice's or payment's payload."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounting.services.invoices import invoice_issue, invoice_line_add, invoice_void
from accounting.services.payments import payment_record
from integrations.webhooks.models import WebhookMessage
from tests.conftest import make_member


@pytest.fixture
def treasurer(club):
    return make_member(club, "treasurer", is_treasurer=True)


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run each write's on-commit callbacks (the kicks) as its transaction would on commit."""
    def _run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)
    return _run


@pytest.fixture
def draft(treasurer, pilot):
    return invoice_line_add(actor=treasurer, member=pilot, description="Membership fee", amount=Decimal("195")).invoice


def _documents(receiver, secret) -> list[dict]:
    return [got.verified_with(secret) for got in receiver.received]


def _pay(treasurer, pilot, amount, invoice=None):
    return payment_record(actor=treasurer, member=pilot, amount=Decimal(amount), method="transfer",
                          received_on=timezone.localdate(timezone=pilot.organization.tz), reference="SEPA 7",
                          invoice=invoice)


def test_issuing_sends_invoice_created_with_the_invoice(receiver, make_endpoint, treasurer, pilot, draft, commits):
    endpoint, secret = make_endpoint(receiver.url, events=["invoice.created"])
    invoice = commits(invoice_issue, actor=treasurer, invoice=draft)
    [document] = _documents(receiver, secret)
    assert document["type"] == "invoice.created" and document["organization"] == "tac"
    assert document["object"] == {"type": "invoice", "id": invoice.pk}
    assert document["data"] == {
        "id": invoice.pk, "number": invoice.number, "kind": "invoice", "status": "issued", "member_id": pilot.pk,
        "total": {"amount": "195.00", "currency": pilot.organization.currency},
        "issued_at": invoice.issued_at.isoformat(), "due_on": invoice.due_on.isoformat(), "credits_invoice_id": None}
    message = WebhookMessage.objects.get()
    assert message.state == WebhookMessage.State.DELIVERED and message.ordering_key == f"invoice:{invoice.pk}"
    assert receiver.received[0].headers["webhook-id"] == message.msg_id


def test_payments_settling_an_invoice_send_invoice_paid(receiver, make_endpoint, treasurer, pilot, draft, commits):
    endpoint, secret = make_endpoint(receiver.url, events=["invoice.paid", "payment.recorded"])
    invoice = invoice_issue(actor=treasurer, invoice=draft)  # invoice.created: not an event it wants
    first = commits(_pay, treasurer, pilot, "95", invoice)
    [recorded] = _documents(receiver, secret)
    assert recorded["type"] == "payment.recorded" and recorded["object"] == {"type": "payment", "id": first.pk}
    assert recorded["data"]["amount"] == {"amount": "95.00", "currency": pilot.organization.currency}
    assert recorded["data"]["member_id"] == pilot.pk and recorded["data"]["voided"] is False

    commits(_pay, treasurer, pilot, "100")
    documents = _documents(receiver, secret)
    assert [d["type"] for d in documents] == ["payment.recorded", "payment.recorded", "invoice.paid"]
    paid = documents[-1]
    assert paid["object"] == {"type": "invoice", "id": invoice.pk}
    assert paid["data"]["status"] == "paid" and paid["data"]["number"] == invoice.number
    assert paid["data"]["total"]["amount"] == "195.00"


def test_a_prepaid_member_s_invoice_is_created_then_paid_in_order(receiver, hook, treasurer, pilot, draft, commits):
    endpoint, secret = hook  # every event
    _pay(treasurer, pilot, "500")
    receiver.received.clear()
    invoice = commits(invoice_issue, actor=treasurer, invoice=draft)
    documents = _documents(receiver, secret)
    assert [(d["type"], d["object"]["id"]) for d in documents] == [("invoice.created", invoice.pk),
                                                                   ("invoice.paid", invoice.pk)]
    assert documents[0]["data"]["status"] == "issued" and documents[1]["data"]["status"] == "paid"
    keys = set(WebhookMessage.objects.filter(event__startswith="invoice.").values_list("ordering_key", flat=True))
    assert keys == {f"invoice:{invoice.pk}"}


def test_voiding_sends_invoice_voided(receiver, make_endpoint, treasurer, draft, commits):
    endpoint, secret = make_endpoint(receiver.url, events=["invoice.voided"])
    invoice = invoice_issue(actor=treasurer, invoice=draft)
    commits(invoice_void, actor=treasurer, invoice=invoice, reason="Wrong member")
    [document] = _documents(receiver, secret)
    assert document["type"] == "invoice.voided" and document["data"]["status"] == "void"
    assert document["object"] == {"type": "invoice", "id": invoice.pk}


def test_an_endpoint_not_wanting_invoices_gets_none(receiver, make_endpoint, treasurer, pilot, draft, commits):
    make_endpoint(receiver.url, events=["booking.created"])
    invoice = commits(invoice_issue, actor=treasurer, invoice=draft)
    commits(_pay, treasurer, pilot, "195", invoice)
    assert receiver.received == [] and not WebhookMessage.objects.exists()
