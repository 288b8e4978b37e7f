"""The treasurer's pages: the month, invoices and their actions, payments. Who sees them, that
each action goes through its service and changes the database, that a refusal is shown on
the page with 400 and changes nothing, and that odd query strings get a message, not a 500."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounting.models import Invoice, InvoiceLine, Payment
from accounting.services.invoices import invoice_issue, invoice_line_add
from accounting.services.payments import payment_record
from dispatch.models import BookingCrew
from tests.conftest import at, client_for

pytestmark = pytest.mark.django_db

JUNE = "2030-06"


def url(name, club, *args):
    return reverse(name, args=[club.slug, *args])


def draft_of(member):
    return Invoice.objects.get(account__membership=member, status=Invoice.Status.DRAFT, kind=Invoice.Kind.INVOICE)


@pytest.fixture
def flown(booking, fly):
    """The pilot's booking flown 1.3 h at 150/h: a draft of 195.00."""
    return fly(booking, "1.3")


@pytest.fixture
def issued(flown, treasurer, pilot):
    return invoice_issue(actor=treasurer, invoice=draft_of(pilot))


def today(club):
    return timezone.localdate(timezone=club.tz)


# Who sees what

PAGES = [("accounting_month", ()), ("accounting_invoices", ()), ("accounting_payments", ()),
         ("accounting_payment_new", ()), ("accounting_line_new", ())]


@pytest.mark.parametrize("name, args", PAGES)
def test_pages_render_for_the_treasurer_and_an_admin(name, args, club, treasurer, admin, flown):
    for member in (treasurer, admin):
        assert client_for(member).get(url(name, club, *args)).status_code == 200


@pytest.mark.parametrize("name", ["accounting_month", "accounting_invoices", "accounting_payments",
                                  "accounting_payment_new", "accounting_line_new", "accounting_invoices_csv"])
def test_a_pilot_and_an_outsider_get_404(name, club, pilot, outsider, flown):
    # clubs.access answers 404 for a missing capability too: the address says nothing.
    for member in (pilot, outsider):
        assert client_for(member).get(url(name, club)).status_code == 404


def test_the_invoice_pages_are_404_to_a_pilot_and_an_outsider(club, issued, pilot, outsider):
    for member in (pilot, outsider):
        c = client_for(member)
        for name in ("accounting_invoice", "accounting_invoice_void", "accounting_invoice_credit"):
            assert c.get(url(name, club, issued.pk)).status_code == 404
        assert c.post(url("accounting_invoice_void", club, issued.pk), {"reason": "x"}).status_code == 404
    issued.refresh_from_db()
    assert issued.status == Invoice.Status.ISSUED


def test_an_outsider_cannot_reach_this_clubs_invoice_through_their_own_club(other_club, outsider, issued):
    assert client_for(outsider).get(reverse("accounting_invoice", args=[other_club.slug, issued.pk])).status_code == 404


def test_a_viewer_reads_but_has_no_actions(club, viewer, flown, pilot):
    c = client_for(viewer)
    page = c.get(url("accounting_month", club), {"month": JUNE})
    assert page.status_code == 200 and "Issue all drafts" not in page.content.decode()
    detail = c.get(url("accounting_invoice", club, draft_of(pilot).pk))
    assert detail.status_code == 200 and "Add a line" not in detail.content.decode()
    assert c.post(url("accounting_invoice_issue", club, draft_of(pilot).pk)).status_code == 404
    assert c.get(url("accounting_payment_new", club)).status_code == 404
    assert draft_of(pilot).status == Invoice.Status.DRAFT


# The month

def test_the_month_shows_unbilled_bookings_drafts_and_balances(club, treasurer, book, aircraft, pilot2, flown, pilot):
    unflown_but_completed = book(aircraft, at(12, 9), at(12, 10), [(pilot2, BookingCrew.Role.PIC)])
    page = client_for(treasurer).get(url("accounting_month", club), {"month": JUNE})
    text = page.content.decode()
    assert page.status_code == 200 and "June 2030" in text
    assert "CAD 195.00" in text or "EUR 195.00" in text or "195.00" in text
    assert "Pilot" in text and "Issue all drafts" in text
    assert [d.pk for d, _ in page.context["drafts"]] == [draft_of(pilot).pk]
    # Only flown bookings wait to be billed: the one not flown is not listed.
    assert unflown_but_completed not in list(page.context["unbilled"])
    rows = {r["member"].pk: r for r in page.context["balances"]}
    assert rows[pilot.pk]["balance"].pending == Decimal("195.000")


def test_over_the_limit_is_said_in_words(club, treasurer, flown, pilot):
    account = draft_of(pilot).account
    account.credit_limit = Decimal("100")
    account.save()
    text = client_for(treasurer).get(url("accounting_month", club), {"month": JUNE}).content.decode()
    assert "Over the limit" in text


@pytest.mark.parametrize("bad", ["2030-13", "june", "2030-6", "99999-01", "2030-06-01", "١٢٣٤-٠٦"])
def test_a_bad_month_says_so_and_shows_the_current_one(club, treasurer, bad):
    page = client_for(treasurer).get(url("accounting_month", club), {"month": bad})
    current = today(club)
    assert page.status_code == 200
    assert page.context["month"].year == current.year and page.context["month"].month == current.month
    assert "Not a month" in page.content.decode() and f"{current:%B %Y}" in page.context["notice"]


def test_issue_all_drafts_issues_every_draft(club, treasurer, flown, pilot, pilot2):
    invoice_line_add(actor=treasurer, member=pilot2, description="Membership 2030", amount=Decimal("80"))
    r = client_for(treasurer).post(url("accounting_issue_all", club), {"month": JUNE})
    assert r.status_code == 302 and r["Location"].endswith("?month=2030-06")
    issued = Invoice.objects.filter(organization=club, status=Invoice.Status.ISSUED)
    assert issued.count() == 2 and not Invoice.objects.filter(status=Invoice.Status.DRAFT).exists()
    assert {i.number for i in issued} == {"INV-00001", "INV-00002"}


def test_issue_one_draft_from_the_month(club, treasurer, flown, pilot):
    draft = draft_of(pilot)
    r = client_for(treasurer).post(url("accounting_invoice_issue", club, draft.pk))
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.ISSUED and draft.number == "INV-00001"


# Invoices

def test_the_invoice_list_filters(club, treasurer, issued, pilot2):
    invoice_line_add(actor=treasurer, member=pilot2, description="Membership", amount=Decimal("80"))
    c = client_for(treasurer)
    every = c.get(url("accounting_invoices", club))
    assert every.status_code == 200 and len(every.context["rows"]) == 2
    drafts = c.get(url("accounting_invoices", club), {"status": "draft"})
    assert [i.account.membership for i, _ in drafts.context["rows"]] == [pilot2]
    mine = c.get(url("accounting_invoices", club), {"member": issued.account.membership_id, "kind": "invoice"})
    assert [i.pk for i, _ in mine.context["rows"]] == [issued.pk]


@pytest.mark.parametrize("query, field", [({"status": "lost"}, "status"), ({"kind": "receipt"}, "kind"),
                                          ({"member": "abc"}, "member"), ({"member": "999999"}, "member"),
                                          ({"page": "x"}, "page"), ({"page": "99"}, "page")])
def test_bad_invoice_filters_get_a_message_not_a_500(club, treasurer, issued, query, field):
    r = client_for(treasurer).get(url("accounting_invoices", club), query)
    assert r.status_code == 400 and field in r.context["form"].errors
    assert "could not be used" in r.content.decode()


def test_a_member_of_another_club_is_not_a_filter(club, treasurer, outsider):
    r = client_for(treasurer).get(url("accounting_invoices", club), {"member": outsider.pk})
    assert r.status_code == 400


def test_the_invoice_detail_shows_lines_status_and_what_settles_it(club, treasurer, issued):
    payment_record(actor=treasurer, member=issued.account.membership, amount=Decimal("50"), method="cash",
                   received_on=today(club), reference="R-1")
    r = client_for(treasurer).get(url("accounting_invoice", club, issued.pk))
    text = r.content.decode()
    assert r.status_code == 200 and "INV-00001" in text and "Issued" in text
    assert "195.00" in text and "145.00" in text  # total and still to pay
    assert "R-1" in text and "50.00" in text


def test_void_an_invoice_through_its_confirm_page(club, treasurer, issued, pilot):
    c = client_for(treasurer)
    assert c.get(url("accounting_invoice_void", club, issued.pk)).status_code == 200
    r = c.post(url("accounting_invoice_void", club, issued.pk), {"reason": "Wrong member"})
    assert r.status_code == 302
    issued.refresh_from_db()
    assert issued.status == Invoice.Status.VOID and issued.void_reason == "Wrong member"
    # The flight is billed again, on a new draft.
    assert draft_of(pilot).total == Decimal("195.000")


def test_void_without_a_reason_is_refused_on_the_form(club, treasurer, issued):
    r = client_for(treasurer).post(url("accounting_invoice_void", club, issued.pk), {"reason": ""})
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    issued.refresh_from_db()
    assert issued.status == Invoice.Status.ISSUED


def test_voiding_a_settled_invoice_shows_the_services_refusal(club, treasurer, issued):
    payment_record(actor=treasurer, member=issued.account.membership, amount=Decimal("10"), method="cash",
                   received_on=today(club))
    r = client_for(treasurer).post(url("accounting_invoice_void", club, issued.pk), {"reason": "Oops"})
    assert r.status_code == 400 and "credit it instead" in r.content.decode()
    issued.refresh_from_db()
    assert issued.status == Invoice.Status.ISSUED


def test_credit_in_full_and_by_an_amount(club, treasurer, issued):
    c = client_for(treasurer)
    assert c.get(url("accounting_invoice_credit", club, issued.pk)).status_code == 200
    r = c.post(url("accounting_invoice_credit", club, issued.pk), {"amount": "45", "reason": "Goodwill"})
    assert r.status_code == 302
    note = issued.credit_notes.get()
    assert note.total == Decimal("-45.000") and note.status == Invoice.Status.ISSUED and note.number == "CN-00001"
    assert r["Location"] == url("accounting_invoice", club, note.pk)
    c.post(url("accounting_invoice_credit", club, issued.pk), {"amount": "", "reason": "Rest"})
    assert sum(n.total for n in issued.credit_notes.all()) == Decimal("-195.000")
    issued.refresh_from_db()
    assert issued.status == Invoice.Status.PAID
    # The original is named on the credit note's page.
    assert "INV-00001" in c.get(url("accounting_invoice", club, note.pk)).content.decode()


def test_crediting_too_much_is_refused_on_the_amount(club, treasurer, issued):
    r = client_for(treasurer).post(url("accounting_invoice_credit", club, issued.pk), {"amount": "500", "reason": "x"})
    assert r.status_code == 400 and "amount" in r.context["form"].errors
    assert not issued.credit_notes.exists()


def test_issuing_an_issued_invoice_is_refused_with_400(club, treasurer, issued):
    r = client_for(treasurer).post(url("accounting_invoice_issue", club, issued.pk))
    assert r.status_code == 400 and "already issued" in r.content.decode()
    assert Invoice.objects.get(pk=issued.pk).number == "INV-00001"


def test_add_and_remove_a_manual_line_on_a_draft(club, treasurer, flown, pilot):
    c = client_for(treasurer)
    draft = draft_of(pilot)
    r = c.post(url("accounting_invoice_line_add", club, draft.pk),
               {"description": "Landing fee LFPN", "quantity": "2", "amount": "12.50"})
    assert r.status_code == 302
    line = draft.lines.get(kind=InvoiceLine.Kind.MANUAL)
    assert line.amount == Decimal("25.000") and draft_of(pilot).total == Decimal("220.000")
    r = c.post(url("accounting_invoice_line_remove", club, draft.pk, line.pk))
    assert r.status_code == 302 and draft_of(pilot).total == Decimal("195.000")


def test_a_billed_line_cannot_be_removed(club, treasurer, flown, pilot):
    draft = draft_of(pilot)
    line = draft.lines.first()
    r = client_for(treasurer).post(url("accounting_invoice_line_remove", club, draft.pk, line.pk))
    assert r.status_code == 400 and "correct the check-in" in r.content.decode()
    assert draft.lines.filter(pk=line.pk).exists()


def test_a_line_with_a_zero_price_is_refused_on_the_form(club, treasurer, flown, pilot):
    draft = draft_of(pilot)
    r = client_for(treasurer).post(url("accounting_invoice_line_add", club, draft.pk),
                                   {"description": "Nothing", "quantity": "1", "amount": "0"})
    assert r.status_code == 400 and "amount" in r.context["line_form"].errors
    assert draft.lines.count() == 1


def test_a_line_for_a_member_without_a_draft(club, treasurer, pilot2):
    c = client_for(treasurer)
    r = c.post(url("accounting_line_new", club), {"member": pilot2.pk, "description": "Membership 2030",
                                                  "quantity": "1", "amount": "80"})
    assert r.status_code == 302 and draft_of(pilot2).total == Decimal("80.000")
    bad = c.post(url("accounting_line_new", club), {"member": pilot2.pk, "description": "Bell\x07",
                                                    "quantity": "1", "amount": "5"})
    assert bad.status_code == 400 and draft_of(pilot2).lines.count() == 1


# Payments

def test_record_a_payment_for_an_invoice(club, treasurer, issued, pilot):
    c = client_for(treasurer)
    form = c.get(url("accounting_payment_new", club), {"invoice": issued.pk})
    assert form.status_code == 200 and form.context["form"].initial["member"] == pilot.pk
    assert form.context["form"].initial["received_on"] == today(club)
    r = c.post(url("accounting_payment_new", club), {"member": pilot.pk, "amount": "195", "method": "transfer",
                                                     "reference": "SEPA 42", "received_on": today(club).isoformat(),
                                                     "invoice": issued.pk})
    assert r.status_code == 302
    payment = Payment.objects.get()
    assert payment.amount == Decimal("195") and payment.reference == "SEPA 42"
    issued.refresh_from_db()
    assert issued.status == Invoice.Status.PAID
    assert "SEPA 42" in c.get(url("accounting_payments", club)).content.decode()


def test_a_payment_in_the_future_is_refused_on_its_date(club, treasurer, pilot):
    r = client_for(treasurer).post(url("accounting_payment_new", club), {
        "member": pilot.pk, "amount": "20", "method": "cash",
        "received_on": (today(club) + timedelta(days=2)).isoformat()})
    assert r.status_code == 400 and "received_on" in r.context["form"].errors
    assert not Payment.objects.exists()


def test_a_payment_for_another_members_invoice_is_refused(club, treasurer, issued, pilot2):
    r = client_for(treasurer).post(url("accounting_payment_new", club), {
        "member": pilot2.pk, "amount": "20", "method": "cash", "received_on": today(club).isoformat(),
        "invoice": issued.pk})
    assert r.status_code == 400 and "invoice" in r.context["form"].errors
    assert not Payment.objects.exists()


def test_void_a_payment(club, treasurer, issued, pilot):
    payment = payment_record(actor=treasurer, member=pilot, amount=Decimal("195"), method="cash",
                             received_on=today(club))
    c = client_for(treasurer)
    page = c.get(url("accounting_payment_void", club, payment.pk))
    assert page.status_code == 200 and "INV-00001" in page.content.decode()
    assert c.post(url("accounting_payment_void", club, payment.pk), {"reason": ""}).status_code == 400
    r = c.post(url("accounting_payment_void", club, payment.pk), {"reason": "Cheque bounced"})
    assert r.status_code == 302
    payment.refresh_from_db()
    issued.refresh_from_db()
    assert payment.voided_at is not None and issued.status == Invoice.Status.ISSUED
    again = c.post(url("accounting_payment_void", club, payment.pk), {"reason": "Twice"})
    assert again.status_code == 400 and "already voided" in again.content.decode()


def test_bad_payment_filters(club, treasurer):
    r = client_for(treasurer).get(url("accounting_payments", club), {"member": "x", "page": "0"})
    assert r.status_code == 400 and set(r.context["form"].errors) == {"member", "page"}


def test_another_clubs_payment_is_404(club, treasurer, outsider, other_club):
    theirs = payment_record(actor=outsider, member=outsider, amount=Decimal("5"), method="cash",
                            received_on=timezone.localdate(timezone=other_club.tz))
    assert client_for(treasurer).get(url("accounting_payment_void", club, theirs.pk)).status_code == 404


@pytest.mark.parametrize("query", [{"member": "1" * 40}, {"member": "²"}, {"page": "1" * 40}, {"status": "é" * 300},
                                   {"kind": ""}, {"member": "-3"}])
def test_hand_edited_filters_never_500(club, treasurer, query):
    c = client_for(treasurer)
    for name in ("accounting_invoices", "accounting_payments"):
        assert c.get(url(name, club), query).status_code in (200, 400)


@pytest.mark.parametrize("query", [{"invoice": "²"}, {"invoice": "1" * 40}, {"member": "1" * 40}, {"member": "x"}])
def test_the_payment_form_survives_odd_prefills(club, treasurer, query):
    assert client_for(treasurer).get(url("accounting_payment_new", club), query).status_code == 200
    assert client_for(treasurer).get(url("accounting_line_new", club), query).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, club):
    for name, _ in PAGES:
        r = client.get(url(name, club))
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
