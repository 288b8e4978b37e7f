"""The member's money pages: account, invoice, statement (page and PDF) and expenses."""

import re
import zlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounting.models import Expense, Invoice, InvoiceLine
from accounting.money import money_display
from accounting.selectors import account_balance
from accounting.services.accounts import account_for
from accounting.services.expenses import expense_submit
from accounting.services.invoices import invoice_issue
from accounting.services.payments import payment_record
from accounting.services.terms import account_update
from dispatch.models import BookingCrew
from tests.conftest import at


def url(club, name, *args):
    return reverse(name, args=[club.slug, *args])


def eur(club, amount):
    return money_display(Decimal(amount), club.currency)


def today(club):
    return timezone.localdate(timezone=club.tz)


@pytest.fixture
def billed(booking, fly, treasurer):
    """The pilot flew 1.3 h at 150/h (195), issued; a second flight (1.0 h, 150) is pending."""
    fly(booking, "1.3")
    invoice = invoice_issue(actor=treasurer, invoice=InvoiceLine.objects.get().invoice)
    return invoice


@pytest.fixture
def pending(billed, book, fly, aircraft, pilot):
    fly(book(aircraft, at(11, 9), at(11, 11), [(pilot, BookingCrew.Role.PIC)]), "1.0")


def test_my_account_says_balance_pending_and_invoices(as_user, club, pilot, billed, pending):
    page = as_user(pilot).get(url(club, "account_home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"You owe the club {eur(club, 195)}." in text
    assert eur(club, 150) in text  # pending
    assert url(club, "account_invoice", billed.pk) in text
    assert "No credit limit" not in text and "No limit" in text
    assert url(club, "account_home") in text  # the "My account" menu link


def test_credit_and_settled_in_words(as_user, club, pilot, billed, treasurer):
    payment_record(actor=treasurer, member=pilot, amount=Decimal("200"), method="cash", received_on=today(club))
    text = as_user(pilot).get(url(club, "account_home")).content.decode()
    assert f"You are in credit by {eur(club, 5)}." in text


def test_over_limit_warning(as_user, club, pilot, billed, pending, treasurer):
    account_update(actor=treasurer, member=pilot, group="member", credit_limit=Decimal("300"))
    text = as_user(pilot).get(url(club, "account_home")).content.decode()
    assert f"Over the credit limit by {eur(club, 45)}" in text
    assert eur(club, 0) in text  # nothing available


def test_treasurer_and_viewer_open_a_members_account(as_user, club, pilot, billed, treasurer, viewer):
    for who in (treasurer, viewer):
        page = as_user(who).get(url(club, "account_member", pilot.pk))
        assert page.status_code == 200
        assert f"Pilot owes the club {eur(club, 195)}." in page.content.decode()
        assert as_user(who).get(url(club, "account_invoice", billed.pk)).status_code == 200


def test_others_accounts_are_not_found(as_user, club, pilot, pilot2, billed, outsider):
    assert as_user(pilot2).get(url(club, "account_member", pilot.pk)).status_code == 404
    assert as_user(pilot2).get(url(club, "account_invoice", billed.pk)).status_code == 404
    assert as_user(pilot2).get(url(club, "account_member_statement", pilot.pk)).status_code == 404
    assert as_user(pilot2).get(url(club, "account_member_statement_pdf", pilot.pk)).status_code == 404
    assert as_user(outsider).get(url(club, "account_home")).status_code == 404
    assert as_user(pilot).get(url(club, "account_invoice", billed.pk)).status_code == 200


def test_member_of_another_club_is_not_found_for_treasurer(as_user, club, treasurer, outsider):
    assert as_user(treasurer).get(url(club, "account_member", outsider.pk)).status_code == 404


def test_statement_figures_agree_with_the_balance(as_user, club, pilot, billed, pending, treasurer):
    payment_record(actor=treasurer, member=pilot, amount=Decimal("50"), method="card", received_on=today(club),
                   reference="CB-1")
    owed = account_balance(account_for(pilot)).owed
    assert owed == Decimal("145")
    page = as_user(pilot).get(url(club, "account_statement"))
    assert page.status_code == 200
    text = page.content.decode()
    assert page.context["statement"].closing == owed
    assert page.context["closing"] == eur(club, owed)
    assert f"Closing balance on {today(club):%d %b %Y}" in text
    assert billed.number in text and "CB-1" in text
    assert eur(club, 150) in text  # the pending draft


def test_statement_default_period_is_three_full_months(as_user, club, pilot):
    page = as_user(pilot).get(url(club, "account_statement"))
    s = page.context["statement"]
    end = today(club)
    assert s.end == end and s.start.day == 1 and (end - s.start).days < 124 and (end - s.start).days >= 89


def test_statement_opening_balance_brings_forward(as_user, club, pilot, billed):
    after = today(club) + timedelta(days=1)
    page = as_user(pilot).get(url(club, "account_statement"), {"start": after.isoformat(), "end": after.isoformat()})
    assert page.context["statement"].opening == Decimal("195")
    assert page.context["statement"].rows == []


@pytest.mark.parametrize("query, message", [
    ({"start": "2026-13-01"}, "Give the first day as YYYY-MM-DD."),
    ({"end": "yesterday"}, "Give the last day as YYYY-MM-DD."),
    ({"start": "2026-05-02", "end": "2026-05-01"}, "The first day comes after the last"),
])
def test_bad_statement_dates_say_so(as_user, club, pilot, query, message):
    page = as_user(pilot).get(url(club, "account_statement"), query)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert as_user(pilot).get(url(club, "account_statement_pdf"), query).status_code == 400


def test_statement_page_is_printable(as_user, club, pilot):
    text = as_user(pilot).get(url(club, "account_statement")).content.decode()
    assert "css/account.css" in text
    from django.contrib.staticfiles import finders

    assert "@media print" in open(finders.find("css/account.css")).read()


def _pdf_text(content: bytes) -> bytes:
    """The page streams of a PDF, inflated: enough to find the text a core font wrote."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    return b"".join(zlib.decompress(s) if s[:1] == b"x" else s for s in streams)


def test_statement_pdf_downloads_with_the_pages_figures(as_user, club, pilot, billed):
    response = as_user(pilot).get(url(club, "account_statement_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    closing = as_user(pilot).get(url(club, "account_statement")).context["closing"]
    assert closing == eur(club, 195)
    assert f"({closing})".encode("latin-1") in _pdf_text(response.content)


def test_treasurer_downloads_a_members_pdf(as_user, club, pilot, billed, treasurer):
    response = as_user(treasurer).get(url(club, "account_member_statement_pdf", pilot.pk))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# Expenses

def _expense(club, **over):
    return {"spent_on": today(club).isoformat(), "description": "Fuel at LFPN", "amount": "42.50",
            "receipt_reference": "R-7", **over}


def test_member_submits_an_expense_and_sees_it_waiting(as_user, club, pilot):
    client = as_user(pilot)
    assert client.get(url(club, "account_expense_new")).status_code == 200
    response = client.post(url(club, "account_expense_new"), _expense(club))
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.status == "submitted" and expense.account.membership == pilot and expense.amount == Decimal("42.5")
    text = client.get(url(club, "account_home")).content.decode()
    assert "Fuel at LFPN" in text and "Submitted" in text


def test_expense_refusal_shows_and_changes_nothing(as_user, club, pilot):
    future = (today(club) + timedelta(days=3)).isoformat()
    response = as_user(pilot).post(url(club, "account_expense_new"), _expense(club, spent_on=future))
    assert response.status_code == 400
    assert "today or earlier" in response.content.decode()
    assert not Expense.objects.exists()


def test_treasurer_records_an_expense_approved_at_once(as_user, club, pilot, treasurer):
    response = as_user(treasurer).post(url(club, "account_member_expense_new", pilot.pk), _expense(club))
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.status == "approved" and expense.line.amount == Decimal("-42.5")


def test_only_the_treasurer_records_for_others(as_user, club, pilot, pilot2, viewer):
    assert as_user(pilot2).post(url(club, "account_member_expense_new", pilot.pk), _expense(club)).status_code == 404
    assert as_user(viewer).get(url(club, "account_member_expense_new", pilot.pk)).status_code == 404
    assert not Expense.objects.exists()


@pytest.fixture
def submitted(pilot):
    return expense_submit(actor=pilot, member=pilot, spent_on=date(2026, 1, 5), description="Oil", amount=Decimal("12"))


def test_review_queue_for_the_treasurer_only(as_user, club, submitted, treasurer, admin, viewer, pilot, outsider):
    for who in (treasurer, admin):
        page = as_user(who).get(url(club, "account_expense_review"))
        assert page.status_code == 200 and "Oil" in page.content.decode()
    for who in (viewer, pilot, outsider):
        assert as_user(who).get(url(club, "account_expense_review")).status_code == 404
    assert as_user(pilot).post(url(club, "account_expense_decide", submitted.pk), {"decision": "approve"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_treasurer_approves_then_a_second_decision_is_refused(as_user, club, submitted, treasurer):
    client = as_user(treasurer)
    response = client.post(url(club, "account_expense_decide", submitted.pk), {"decision": "approve", "note": "ok"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "approved" and submitted.decision_note == "ok"
    assert InvoiceLine.objects.get(expense=submitted).invoice.status == Invoice.Status.DRAFT
    again = client.post(url(club, "account_expense_decide", submitted.pk), {"decision": "reject"})
    assert again.status_code == 400 and "already approved" in again.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "approved"


def test_treasurer_rejects(as_user, club, submitted, treasurer):
    assert as_user(treasurer).post(url(club, "account_expense_decide", submitted.pk), {"decision": "reject"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "rejected" and not InvoiceLine.objects.filter(expense=submitted).exists()


def test_menu_links_by_role(as_user, club, pilot, treasurer):
    assert "Billing terms" not in as_user(pilot).get(url(club, "account_home")).content.decode()
    text = as_user(treasurer).get(url(club, "account_home")).content.decode()
    assert url(club, "accounting_terms") in text and "My account" in text



def test_accounting_link_for_those_who_read_every_account(as_user, club, pilot, treasurer, viewer):
    month = url(club, "accounting_month")
    assert month not in as_user(pilot).get(url(club, "account_home")).content.decode()
    for who in (treasurer, viewer):
        assert month in as_user(who).get(url(club, "account_home")).content.decode()
    assert url(club, "accounting_terms") not in as_user(viewer).get(url(club, "account_home")).content.decode()
