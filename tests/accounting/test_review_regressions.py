"""What the review of the accounting change found, each a test that failed before its fix."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounting.models import Account, Invoice
from accounting.services.invoices import invoice_credit, invoice_issue, invoice_line_add, invoices_issue_all
from accounting.services.payments import payment_record
from accounting.services.terms import billing_settings_update
from api.keys import api_key_create
from clubs.models import Membership
from core.errors import Conflict, Invalid, NotFound
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _draft(treasurer, member, amount="195.00"):
    return invoice_line_add(actor=treasurer, member=member, description="Fee", amount=Decimal(amount)).invoice


def _today(club):
    return timezone.localdate(timezone=club.tz)


def test_an_oversized_line_is_refused_and_pages_still_read(club, treasurer, pilot):
    client = client_for(treasurer)
    response = client.post(reverse("accounting_line_new", args=[club.slug]),
                           {"member": pilot.pk, "description": "big", "quantity": "10000", "amount": "99999999.99"})
    assert response.status_code == 400
    assert not Invoice.objects.exists()
    for _ in range(11):  # many lines, each fine, whose total the columns cannot hold
        try:
            _draft(treasurer, pilot, "99999999")
        except Invalid as refused:
            assert refused.code == "invoice_total_out_of_range"
            break
    else:
        pytest.fail("a total of a billion was accepted")
    assert client.get(reverse("accounting_month", args=[club.slug])).status_code == 200


@pytest.mark.parametrize("query", ["?end=0001-01-01", "?end=0001-02-01", "?start=0001-01-01&end=0002-01-01"])
def test_statement_far_dates_are_a_clear_400(club, pilot, query):
    client = client_for(pilot)
    for name in ("account_statement", "account_statement_pdf"):
        assert client.get(reverse(name, args=[club.slug]) + query).status_code == 400


def test_a_credit_is_never_finer_than_the_currency(club, treasurer, pilot):
    invoice = invoice_issue(actor=treasurer, invoice=_draft(treasurer, pilot, "100"))
    with pytest.raises(Invalid) as refused:
        invoice_credit(actor=treasurer, invoice=invoice, reason="x", amount=Decimal("10.005"))
    assert refused.value.code == "amount_precision"
    page = client_for(treasurer).post(reverse("accounting_invoice_credit", args=[club.slug, invoice.pk]),
                                      {"amount": "10.005", "reason": "x"})
    assert page.status_code == 400 and not invoice.credit_notes.exists()


def test_a_hand_credit_then_a_correction_never_credits_beyond_the_invoice(treasurer, pilot, booking, fly, correct):
    fly(booking, "1.3")
    invoice = invoice_issue(actor=treasurer, invoice=Invoice.objects.get(account__membership=pilot, status="draft"))
    invoice_credit(actor=treasurer, invoice=invoice, reason="goodwill, all of it")
    correct(booking, hobbs="0.5")
    note = Invoice.objects.get(account__membership=pilot, status="draft", kind="credit_note")
    with pytest.raises(Conflict) as refused:
        invoice_issue(actor=treasurer, invoice=note)
    assert refused.value.code == "credit_exceeds_invoice"
    assert invoices_issue_all(actor=treasurer, kind="credit_note") == []
    issued = -sum(n.total for n in invoice.credit_notes.filter(status__in=["issued", "paid"]))
    assert issued == invoice.total


def test_the_currency_stays_once_money_is_on_the_books(club, treasurer, pilot):
    payment_record(actor=treasurer, member=pilot, amount=Decimal("10.50"), method="cash", received_on=_today(club))
    with pytest.raises(Conflict) as refused:
        billing_settings_update(actor=treasurer, currency="JPY", hours_step="0.1", money_step="1", payment_terms_days=30,
                                invoice_prefix="INV-", credit_note_prefix="CN-", credit_limits={})
    assert refused.value.code == "currency_in_use"
    club.refresh_from_db()
    assert club.currency == "USD"


def test_reading_an_account_makes_no_row(club, pilot, viewer):
    assert client_for(pilot).get(reverse("account_home", args=[club.slug])).status_code == 200
    assert client_for(pilot).get(reverse("account_statement", args=[club.slug])).status_code == 200
    assert client_for(viewer).get(reverse("account_member", args=[club.slug, pilot.pk])).status_code == 200
    assert not Account.objects.exists()


def test_an_api_keys_account_holds_no_money(club, admin, treasurer, viewer):
    api_key_create(actor=admin, name="bot", scopes="read")
    bot = Membership.objects.get(organization=club, user__is_service_account=True)
    assert client_for(viewer).get(reverse("account_member", args=[club.slug, bot.pk])).status_code == 404
    with pytest.raises(NotFound):
        payment_record(actor=treasurer, member=bot, amount=Decimal("5"), method="cash", received_on=date(2026, 1, 1))
    assert not Account.objects.filter(membership=bot).exists()
