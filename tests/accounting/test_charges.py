"""Billing a flown booking (accounting.services.charges.booking_bill through the real check-in,
correction and flight-detected paths): each basis, the rates, and every later fact."""

from decimal import Decimal

import pytest

from accounting.models import FlightCharge, Invoice, InvoiceLine
from accounting.services.accounts import account_for
from accounting.services.invoices import invoice_issue, invoice_void
from accounting.services.terms import account_update, billing_settings_update, instructor_rate_update
from dispatch.models import BookingCrew
from tests.conftest import at

pytestmark = pytest.mark.django_db
D = Decimal


def lines_of(booking, **filters):
    return list(InvoiceLine.objects.filter(charge__booking=booking, **filters).exclude(invoice__status="void")
                .order_by("pk"))


def part(booking, name):
    return sum((line.amount for line in lines_of(booking, part=name)), D(0))


def test_hobbs_basis_bills_the_check_in(booking, fly):
    fly(booking, "1.3")
    [line] = lines_of(booking)
    assert (line.part, line.quantity, line.unit_price, line.amount) == ("aircraft", D("1.3"), D("150"), D("195"))
    assert line.invoice.status == "draft" and booking.charge.basis == "hobbs"


def test_tach_basis(booking, fly, aircraft, set_terms):
    set_terms(aircraft, basis="tach")
    fly(booking, "1.3", tach="1.1")
    assert part(booking, "aircraft") == D("165")


def test_engine_basis_bills_hobbs_until_the_flight_then_reprices(booking, fly, aircraft, set_terms, detect_flight):
    set_terms(aircraft, basis="engine")
    fly(booking, "1.3")
    assert part(booking, "aircraft") == D("195") and FlightCharge.objects.get().basis == "hobbs"
    detect_flight(booking, engine_minutes=66, air_minutes=50)
    assert part(booking, "aircraft") == D("165") and FlightCharge.objects.get().basis == "engine"
    assert len(lines_of(booking)) == 1  # the draft line replaced, not a second one


def test_airtime_basis_adds_the_taxi_allowance_per_flight(booking, aircraft, set_terms, detect_flight):
    set_terms(aircraft, basis="airtime", taxi=6)
    detect_flight(booking, engine_minutes=60, air_minutes=48)
    # A flight on a recorder basis is billed without waiting for the check-in.
    assert part(booking, "aircraft") == D("135")  # 48 + 6 minutes = 0.9 h
    detect_flight(booking, engine_minutes=30, air_minutes=24)
    assert part(booking, "aircraft") == D("210")  # 48 + 24 minutes, 2 x 6 taxi = 84 minutes = 1.4 h


def test_a_hobbs_billed_flight_waits_for_the_check_in(booking, detect_flight):
    detect_flight(booking, engine_minutes=60, air_minutes=50)
    assert not FlightCharge.objects.exists()


def test_minimum_hours(booking, fly, aircraft, set_terms):
    set_terms(aircraft, minimum="1.0")
    fly(booking, "0.4")
    [line] = lines_of(booking)
    assert (line.quantity, line.amount) == (D("1.0"), D("150")) and "(minimum)" in line.description


@pytest.mark.parametrize("group, amount", [("member", "150"), ("student", "120"), ("non_member", "200")])
def test_rates_by_member_group(booking, fly, aircraft, set_terms, treasurer, pilot, group, amount):
    set_terms(aircraft, student="120", non_member="200")
    account_update(actor=treasurer, member=pilot, group=group, credit_limit=None)
    fly(booking, "1.0")
    assert part(booking, "aircraft") == D(amount)


def test_a_student_starts_in_the_student_group(student):
    assert account_for(student).group == "student"


def test_instructor_flight_and_ground_time_billed_to_the_student(aircraft, book, fly, set_terms, treasurer, student,
                                                                 instructor):
    set_terms(aircraft, student="120")
    instructor_rate_update(actor=treasurer, instructor=instructor, flight_rate=D("40"), ground_rate=D("30"))
    lesson = book(aircraft, at(11, 9), at(11, 11), [(student, BookingCrew.Role.STUDENT),
                                                   (instructor, BookingCrew.Role.INSTRUCTOR)])
    fly(lesson, "1.5", ground="0.5")
    assert {(line.part, line.amount) for line in lines_of(lesson)} == {
        ("aircraft", D("180")), ("instructor_flight", D("60")), ("instructor_ground", D("15"))}
    assert {line.invoice.account.membership_id for line in lines_of(lesson)} == {student.pk}


def test_fuel_credited_on_wet(booking, fly):
    fly(booking, "1.0", fuel="45.50")
    assert part(booking, "fuel_credit") == D("-45.50")
    assert Invoice.objects.get().total == D("104.50")


def test_no_fuel_credit_on_dry(booking, fly, aircraft, set_terms):
    set_terms(aircraft, wet=False)
    fly(booking, "1.0", fuel="45.50")
    assert part(booking, "fuel_credit") == D(0) and Invoice.objects.get().total == D("150")


@pytest.mark.parametrize("hours_step, money_step, hobbs, amount", [
    ("0.1", "0.01", "1.3", "195.00"), ("0.05", "0.05", "1.3", "195.00"), ("0.01", "1", "1.3", "195")])
def test_club_rounding(booking, fly, aircraft, treasurer, set_terms, hours_step, money_step, hobbs, amount):
    set_terms(aircraft, rate="133.33")
    billing_settings_update(actor=treasurer, currency="EUR", hours_step=hours_step, money_step=money_step,
                            payment_terms_days=30, invoice_prefix="INV-", credit_note_prefix="CN-", credit_limits={})
    fly(booking, hobbs)
    expected = {"0.01": D("173.33"), "0.05": D("173.35"), "1": D("173")}[money_step]
    assert part(booking, "aircraft") == expected


def test_yen_bills_whole_yen(club, booking, fly, aircraft, treasurer, set_terms):
    billing_settings_update(actor=treasurer, currency="JPY", hours_step="0.1", money_step="1",
                            payment_terms_days=30, invoice_prefix="INV-", credit_note_prefix="CN-", credit_limits={})
    set_terms(aircraft, rate="15005")
    fly(booking, "1.1", fuel="1000.5")
    assert part(booking, "aircraft") == D("16506")  # 16505.5 half-up
    assert part(booking, "fuel_credit") == D("-1001")
    assert Invoice.objects.get().currency == "JPY"


def test_a_correction_on_a_draft_replaces_its_line(booking, fly, correct):
    fly(booking, "1.3")
    correct(booking, hobbs="1.5")
    [line] = lines_of(booking)
    assert line.amount == D("225") and line.invoice.status == "draft"


def test_a_correction_down_after_issue_makes_a_draft_credit_note(booking, fly, correct, treasurer):
    fly(booking, "1.3")
    issued = invoice_issue(actor=treasurer, invoice=Invoice.objects.get())
    correct(booking, hobbs="1.0")
    note = Invoice.objects.get(status="draft")
    assert note.kind == "credit_note" and note.credits_id == issued.pk and note.total == D("-45")
    [line] = note.lines.all()
    assert line.kind == "correction" and issued.number in line.description
    assert list(issued.lines.values_list("amount", flat=True)) == [D("195")]  # never edited


def test_a_correction_up_after_issue_goes_on_the_next_draft(booking, fly, correct, treasurer):
    fly(booking, "1.3")
    invoice_issue(actor=treasurer, invoice=Invoice.objects.get())
    correct(booking, hobbs="1.5")
    draft = Invoice.objects.get(status="draft")
    assert draft.kind == "invoice" and draft.total == D("30")


def test_down_then_up_again_leaves_one_correction(booking, fly, correct, treasurer):
    fly(booking, "1.3")
    invoice_issue(actor=treasurer, invoice=Invoice.objects.get())
    correct(booking, hobbs="1.0")
    correct(booking, hobbs="1.6")
    assert [(i.kind, i.total) for i in Invoice.objects.filter(status="draft")] == [("invoice", D("45"))]
    correct(booking, hobbs="1.3")
    assert not Invoice.objects.filter(status="draft").exists()


def test_voiding_bills_the_flights_again(booking, fly, treasurer, pilot):
    fly(booking, "1.3")
    issued = invoice_issue(actor=treasurer, invoice=Invoice.objects.get())
    invoice_void(actor=treasurer, invoice=issued, reason="wrong member")
    draft = Invoice.objects.get(status="draft")
    assert draft.total == D("195") and draft.account.membership == pilot
    assert part(booking, "aircraft") == D("195")


def test_voiding_a_corrected_invoice_bills_the_current_facts(booking, fly, correct, treasurer):
    fly(booking, "1.3")
    issued = invoice_issue(actor=treasurer, invoice=Invoice.objects.get())
    correct(booking, hobbs="1.5")  # +30 on a draft
    invoice_void(actor=treasurer, invoice=issued, reason="redo")
    assert [(i.kind, i.total) for i in Invoice.objects.filter(status="draft")] == [("invoice", D("225"))]


def test_terms_are_kept_from_the_first_billing(booking, fly, correct, aircraft, set_terms):
    fly(booking, "1.0")
    set_terms(aircraft, rate="200")
    correct(booking, hobbs="1.2")
    assert part(booking, "aircraft") == D("180")


def test_a_flight_already_billed_is_not_billed_twice_on_a_repeat_report(booking, aircraft, set_terms, detect_flight,
                                                                         fly):
    set_terms(aircraft, basis="engine")
    detect_flight(booking, engine_minutes=60, air_minutes=50, external_id="1")
    detect_flight(booking, engine_minutes=60, air_minutes=50, external_id="1")
    fly(booking, "1.3")
    assert len(lines_of(booking)) == 1 and part(booking, "aircraft") == D("150")


def test_each_change_is_audited(booking, fly):
    from clubs.models import AuditEvent

    fly(booking, "1.3")
    assert AuditEvent.objects.filter(action="billing.priced").count() == 1


def test_a_flight_moved_away_takes_its_billing_with_it(booking, book, aircraft, pilot2, set_terms, detect_flight,
                                                       dispatcher, treasurer):
    from flights.services.assignment import flight_reassign

    set_terms(aircraft, basis="engine")
    flight = detect_flight(booking, engine_minutes=60, air_minutes=50)
    invoice_issue(actor=treasurer, invoice=Invoice.objects.get())
    right = book(aircraft, at(12, 9), at(12, 11), [(pilot2, BookingCrew.Role.PIC)])
    flight_reassign(actor=dispatcher, flight=flight, booking=right)
    assert part(booking, "aircraft") == D(0)  # the issued 150, credited on a draft credit note
    assert Invoice.objects.get(status="draft", kind="credit_note").total == D("-150")
    assert part(right, "aircraft") == D("150")
