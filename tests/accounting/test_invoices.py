"""Issuing, numbering, voiding and crediting invoices; lines added by hand."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from accounting.models import Invoice, InvoiceLine
from accounting.selectors import account_balance
from accounting.services.accounts import account_for
from accounting.services.expenses import expense_submit
from accounting.services.invoices import (invoice_credit, invoice_issue, invoice_line_add, invoice_line_remove,
                                          invoice_void, invoices_issue_all)
from accounting.services.payments import payment_record
from core.errors import Conflict, Invalid
from dispatch.models import BookingCrew
from tests.conftest import at, make_member

D = Decimal
PAST = date(2026, 1, 1)
pytestmark = pytest.mark.django_db


def draft_of(member, kind="invoice"):
    return Invoice.objects.get(account__membership=member, status="draft", kind=kind)


def test_issue_numbers_dates_and_counts(booking, fly, treasurer, pilot):
    fly(booking, "1.3")
    invoice = invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    assert (invoice.number, invoice.status, invoice.total) == ("INV-00001", "issued", D("195"))
    assert (invoice.due_on - invoice.issued_at.date()).days in (29, 30, 31)
    assert account_balance(account_for(pilot)).owed == D("195")
    with pytest.raises(Conflict) as refused:
        invoice_issue(actor=treasurer, invoice=invoice)
    assert refused.value.code == "invoice_not_draft"


def test_numbering_is_sequential_and_separate_for_credit_notes(treasurer, pilot, pilot2):
    numbers = []
    for member in (pilot, pilot2, pilot):
        invoice_line_add(actor=treasurer, member=member, description="Fee", amount=D("10"))
        numbers.append(invoice_issue(actor=treasurer, invoice=draft_of(member)).number)
    note = invoice_credit(actor=treasurer, invoice=Invoice.objects.get(number="INV-00001"), reason="goodwill")
    invoice_line_add(actor=treasurer, member=pilot2, description="Fee", amount=D("10"))
    numbers.append(invoice_issue(actor=treasurer, invoice=draft_of(pilot2)).number)
    assert numbers == ["INV-00001", "INV-00002", "INV-00003", "INV-00004"]
    assert note.number == "CN-00001"


def test_issue_all_issues_every_draft_with_lines(treasurer, pilot, pilot2):
    for member in (pilot, pilot2):
        invoice_line_add(actor=treasurer, member=member, description="Fee", amount=D("10"))
    issued = invoices_issue_all(actor=treasurer)
    assert sorted(i.number for i in issued) == ["INV-00001", "INV-00002"]
    assert not Invoice.objects.filter(status="draft").exists()


def test_lines_renumbered_without_gaps_at_issue(treasurer, pilot):
    lines = [invoice_line_add(actor=treasurer, member=pilot, description=f"Fee {i}", amount=D("10")) for i in range(3)]
    invoice_line_remove(actor=treasurer, line=lines[1])
    invoice = invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    assert list(invoice.lines.values_list("position", "description")) == [(1, "Fee 0"), (2, "Fee 2")]
    assert invoice.total == D("20")


def test_an_empty_draft_cannot_be_issued(treasurer, pilot):
    line = invoice_line_add(actor=treasurer, member=pilot, description="Fee", amount=D("10"))
    invoice = line.invoice
    invoice_line_remove(actor=treasurer, line=line)
    assert not Invoice.objects.filter(pk=invoice.pk).exists()  # an emptied draft goes


def test_a_negative_draft_is_issued_as_a_credit_note(booking, fly, treasurer, pilot):
    fly(booking, "0.1", fuel="60")  # 15 flown, 60 of fuel bought
    issued = invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    assert (issued.kind, issued.number, issued.total) == ("credit_note", "CN-00001", D("-45"))
    assert account_balance(account_for(pilot)).owed == D("-45")


def test_a_negative_draft_waits_for_a_pending_credit_note(booking, fly, treasurer, pilot, correct):
    fly(booking, "1.3")
    invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    correct(booking, hobbs="1.0")  # draft credit note
    invoice_line_add(actor=treasurer, member=pilot, description="Goodwill", amount=D("-10"))
    with pytest.raises(Conflict) as refused:
        invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    assert refused.value.code == "invoice_negative"


def test_a_credit_note_draft_from_a_correction_is_issued_and_settles_its_invoice(booking, fly, treasurer, pilot,
                                                                                   correct):
    fly(booking, "1.3")
    invoice = invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    correct(booking, hobbs="1.0")
    [note] = invoices_issue_all(actor=treasurer, kind="credit_note")
    assert (note.number, note.total, note.credits_id) == ("CN-00001", D("-45"), invoice.pk)
    assert invoice.allocations.get().amount == D("45")
    assert account_balance(account_for(pilot)).owed == D("150")


def test_credit_in_full_mirrors_every_line(booking, fly, treasurer, pilot):
    fly(booking, "1.3", fuel="20")
    invoice = invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    note = invoice_credit(actor=treasurer, invoice=invoice, reason="not flown by them")
    assert note.total == -invoice.total == D("-175")
    assert [line.amount for line in note.lines.order_by("position")] == [D("-195"), D("20")]
    invoice.refresh_from_db()
    assert invoice.status == "paid" and account_balance(account_for(pilot)).owed == D("0")
    with pytest.raises(Conflict) as refused:
        invoice_credit(actor=treasurer, invoice=invoice, reason="again")
    assert refused.value.code == "invoice_fully_credited"


def test_credit_in_part_then_the_rest(booking, fly, treasurer, pilot):
    fly(booking, "1.3")
    invoice = invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    first = invoice_credit(actor=treasurer, invoice=invoice, reason="goodwill", amount=D("45"))
    assert first.total == D("-45") and account_balance(account_for(pilot)).owed == D("150")
    with pytest.raises(Invalid) as refused:
        invoice_credit(actor=treasurer, invoice=invoice, reason="too much", amount=D("150.01"))
    assert refused.value.code == "credit_out_of_range"
    rest = invoice_credit(actor=treasurer, invoice=invoice, reason="all of it")
    assert rest.total == D("-150")
    invoice.refresh_from_db()
    assert invoice.status == "paid" and account_balance(account_for(pilot)).owed == D("0")


def test_void_refused_once_settled_and_for_drafts(booking, fly, treasurer, pilot):
    fly(booking, "1.3")
    with pytest.raises(Conflict) as refused:
        invoice_void(actor=treasurer, invoice=draft_of(pilot), reason="x")
    assert refused.value.code == "invoice_not_issued"
    invoice = invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    payment_record(actor=treasurer, member=pilot, amount=D("10"), method="cash", received_on=PAST)
    with pytest.raises(Conflict) as refused:
        invoice_void(actor=treasurer, invoice=invoice, reason="x")
    assert refused.value.code == "invoice_settled"


def test_void_leaves_the_balance_and_keeps_the_number(booking, fly, treasurer, pilot):
    fly(booking, "1.3")
    invoice = invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    voided = invoice_void(actor=treasurer, invoice=invoice, reason="wrong")
    assert (voided.status, voided.number) == ("void", "INV-00001")
    assert account_balance(account_for(pilot)).owed == D("0")
    again = invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    assert again.number == "INV-00002" and again.total == D("195")


def test_void_of_an_invoice_that_credited_an_expense_credits_it_again(treasurer, pilot):
    expense_submit(actor=treasurer, member=pilot, spent_on=PAST, description="Oil", amount=D("20"))
    invoice_line_add(actor=treasurer, member=pilot, description="Fee", amount=D("50"))
    invoice = invoice_issue(actor=treasurer, invoice=draft_of(pilot))
    invoice_void(actor=treasurer, invoice=invoice, reason="wrong")
    # The approved expense is still owed to the member: it must not vanish with the void.
    assert account_balance(account_for(pilot)).exposure == D("-20")


def test_a_manual_line_is_rounded_to_the_money_step(club, treasurer, pilot):
    from accounting.services.terms import billing_settings_update

    billing_settings_update(actor=treasurer, currency="JPY", hours_step="0.1", money_step="1", payment_terms_days=30,
                            invoice_prefix="INV-", credit_note_prefix="CN-", credit_limits={})
    line = invoice_line_add(actor=treasurer, member=pilot, description="Landing", amount=D("333"), quantity=D("1.5"))
    assert line.amount == D("500")


def test_a_line_billed_for_a_flight_is_not_removed_by_hand(booking, fly, treasurer):
    fly(booking, "1.3")
    with pytest.raises(Conflict) as refused:
        invoice_line_remove(actor=treasurer, line=InvoiceLine.objects.get())
    assert refused.value.code == "invoice_line_billed"


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks under real concurrency (set DATABASE_URL)")


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_sequential_numbers(postgres_only, club):
    treasurer = make_member(club, "treasurer", is_treasurer=True)
    members = [make_member(club, f"racer{i}", is_pilot=True) for i in range(8)]
    drafts = []
    for member in members:
        drafts.append(invoice_line_add(actor=treasurer, member=member, description="Fee", amount=D("10")).invoice)
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(invoice):
        try:
            barrier.wait(timeout=30)
            invoice_issue(actor=treasurer, invoice=invoice)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"INV-{n:05d}" for n in range(1, len(drafts) + 1)]


def test_a_booking_flown_by_a_student_is_billed_to_the_student_draft(aircraft, book, fly, student, instructor,
                                                                      treasurer):
    lesson = book(aircraft, at(11, 9), at(11, 11), [(student, BookingCrew.Role.STUDENT),
                                                   (instructor, BookingCrew.Role.INSTRUCTOR)])
    fly(lesson, "1.0")
    assert draft_of(student).total == D("150")
    assert not Invoice.objects.filter(account__membership=instructor).exists()
