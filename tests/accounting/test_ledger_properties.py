"""The ledger's invariants over random days of flying and bookkeeping: several members,
aircraft on every basis, meters corrected before and after issuing, flights reported by the
recorder, payments and voids, invoices issued at random points.

Each example runs in a savepoint rolled back at its end, so examples share the personas but
not their money."""

import os
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounting.models import Account, Allocation, FlightCharge, Invoice, InvoiceLine, Payment
from accounting.models.rates import BillingBasis
from accounting.pricing import Terms, price
from accounting.selectors import account_balance
from accounting.services.charges import facts_of, payer_of
from accounting.services.invoices import invoice_credit, invoice_void, invoices_issue_all
from accounting.services.payments import payment_record, payment_void
from accounting.services.terms import billing_settings_update, instructor_rate_update
from core.errors import Refusal
from dispatch.models import Booking, BookingCrew
from tests.conftest import at

D = Decimal
ZERO = D(0)
PAST = date(2026, 1, 1)
COUNTED = ("issued", "paid")
pytestmark = pytest.mark.django_db

config = st.fixed_dictionaries({
    "bases": st.tuples(*[st.sampled_from(BillingBasis.values)] * 2),
    "wet": st.tuples(st.booleans(), st.booleans()),
    "minimum": st.tuples(*[st.sampled_from(["0", "0.5", "1.0"])] * 2),
    "hours_step": st.sampled_from(["0.1", "0.05", "0.01"]),
    "money_step": st.sampled_from(["0.01", "0.05", "0.10", "1"]),
})
CREWS = 4  # pilot, pilot2, student with instructor, instructor alone
flying = st.one_of(
    st.tuples(st.just("fly"), st.integers(0, 1), st.integers(0, CREWS - 1), st.integers(1, 30),
              st.sampled_from(["0", "0", "12.34", "80"]), st.sampled_from(["0", "0.5", "1.25"])),
    st.tuples(st.just("flight_only"), st.integers(0, 1), st.integers(0, CREWS - 1), st.integers(6, 120),
              st.integers(6, 100)),
)
op = st.one_of(
    flying,
    st.tuples(st.just("detect"), st.integers(0, 20), st.integers(6, 120), st.integers(6, 100)),
    st.tuples(st.just("correct"), st.integers(0, 20), st.integers(1, 30), st.sampled_from(["0", "5", "100"])),
    st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("issue_all")),
    st.tuples(st.just("issue_credit_notes")),
    st.tuples(st.just("pay"), st.integers(0, CREWS - 1), st.sampled_from(["10", "99.99", "150", "400"])),
    st.tuples(st.just("void_payment"), st.integers(0, 20)),
    st.tuples(st.just("void_invoice"), st.integers(0, 20)),
    st.tuples(st.just("credit"), st.integers(0, 20), st.sampled_from([None, "7.5"])),
)


class Day:
    """One example's flying and bookkeeping, through the real services."""

    def __init__(self, env, cfg):
        self.env, self.bookings, self.ids = env, [], count(1)
        self.slot = count()
        self.payers = [env["pilot"], env["pilot2"], env["student"], env["instructor"]]
        treasurer = env["treasurer"]
        billing_settings_update(actor=treasurer, currency="EUR", hours_step=cfg["hours_step"],
                                money_step=cfg["money_step"], payment_terms_days=30, invoice_prefix="INV-",
                                credit_note_prefix="CN-", credit_limits={})
        instructor_rate_update(actor=treasurer, instructor=env["instructor"], flight_rate=D("45.5"), ground_rate=D("30"))
        self.aircraft = [env["aircraft"], env["aircraft2"]]
        for i, plane in enumerate(self.aircraft):
            env["set_terms"](plane, basis=cfg["bases"][i], wet=cfg["wet"][i], taxi=6 * i, minimum=cfg["minimum"][i],
                             rate=["150", "133.33"][i], student=["120", None][i], non_member=None)

    def crew(self, which):
        e = self.env
        return [[(e["pilot"], BookingCrew.Role.PIC)], [(e["pilot2"], BookingCrew.Role.PIC)],
                [(e["student"], BookingCrew.Role.STUDENT), (e["instructor"], BookingCrew.Role.INSTRUCTOR)],
                [(e["instructor"], BookingCrew.Role.PIC)]][which]

    def book(self, plane, crew):
        start = at(1, 6) + timedelta(hours=3 * next(self.slot))
        booking = self.env["book"](self.aircraft[plane], start, start + timedelta(hours=2), self.crew(crew))
        self.bookings.append(booking)
        return booking

    def run(self, step):
        name, *args = step
        getattr(self, name)(*args)

    def fly(self, plane, crew, tenths, fuel, ground):
        self.env["fly"](self.book(plane, crew), D(tenths) / 10, fuel=fuel, ground=ground if crew == 2 else "0")

    def flight_only(self, plane, crew, engine, air):
        self.env["detect_flight"](self.book(plane, crew), engine, min(air, engine), external_id=str(next(self.ids)))

    def _pick(self, items, i):
        return items[i % len(items)] if items else None

    def detect(self, i, engine, air):
        booking = self._pick(self.bookings, i)
        if booking is not None:
            self.env["detect_flight"](booking, engine, min(air, engine), external_id=str(next(self.ids)))

    def correct(self, i, tenths, fuel):
        done = [b for b in self.bookings if Booking.objects.get(pk=b.pk).status == Booking.Status.COMPLETED]
        booking = self._pick(done, i)
        if booking is not None:
            self.env["correct"](booking, hobbs=D(tenths) / 10, tach=D(tenths) * D("0.08"), fuel=fuel)

    def move(self, i, j):
        """A dispatcher moves a flight to another booking of its aircraft (flights.services.assignment)."""
        from flights.models import Flight
        from flights.services.assignment import flight_reassign

        flight = self._pick(list(Flight.objects.filter(booking__isnull=False).order_by("pk")), i)
        targets = [b for b in self.bookings if flight is not None and b.aircraft_id == flight.aircraft_id
                   and b.pk != flight.booking_id]
        if targets:
            try:
                flight_reassign(actor=self.env["dispatcher"], flight=flight, booking=self._pick(targets, j))
            except Refusal:
                pass

    def issue_all(self):
        invoices_issue_all(actor=self.env["treasurer"])

    def issue_credit_notes(self):
        invoices_issue_all(actor=self.env["treasurer"], kind=Invoice.Kind.CREDIT_NOTE)

    def pay(self, who, amount):
        payment_record(actor=self.env["treasurer"], member=self.payers[who], amount=D(amount), method="cash",
                       received_on=PAST)

    def void_payment(self, i):
        payment = self._pick(list(Payment.objects.filter(voided_at__isnull=True).order_by("pk")), i)
        if payment is not None:
            payment_void(actor=self.env["treasurer"], payment=payment, reason="bounced")

    def void_invoice(self, i):
        invoice = self._pick(list(Invoice.objects.filter(status__in=COUNTED).order_by("pk")), i)
        if invoice is not None:
            try:
                invoice_void(actor=self.env["treasurer"], invoice=invoice, reason="wrong")
            except Refusal as refused:
                assert refused.code == "invoice_settled"

    def credit(self, i, amount):
        invoice = self._pick(list(Invoice.objects.filter(status__in=COUNTED, kind="invoice").order_by("pk")), i)
        if invoice is not None:
            try:
                invoice_credit(actor=self.env["treasurer"], invoice=invoice, reason="goodwill",
                               amount=None if amount is None else D(amount))
            except Refusal as refused:
                assert refused.code in ("credit_out_of_range", "invoice_fully_credited", "credit_note_draft_pending")


def _sum(qs, field="amount"):
    """Added up here, in Decimal: independent of the database's SUM (SQLite's is a float)."""
    return sum(qs.values_list(field, flat=True), ZERO)


def check_balances():
    """(a) owed = invoices - credit notes - payments, and the same from the raw lines."""
    for account in Account.objects.all():
        counted = Invoice.objects.filter(account=account, status__in=COUNTED)
        paid = _sum(Payment.objects.filter(account=account, voided_at__isnull=True))
        expected = (_sum(counted.filter(kind="invoice"), "total") + _sum(counted.filter(kind="credit_note"), "total")
                    - paid)
        raw = _sum(InvoiceLine.objects.filter(invoice__account=account, invoice__status__in=COUNTED)) - paid
        owed = account_balance(account).owed
        assert owed == expected == raw, (account, owed, expected, raw)
        assert owed.as_tuple().exponent >= -3, owed  # exact, not a float sum
        assert -_sum(counted.filter(kind="credit_note"), "total") == account_balance(account).credited


def check_billed_once():
    """(b) every charge's live lines, part by part, say exactly what pricing says now."""
    for charge in FlightCharge.objects.select_related("booking__organization", "booking__aircraft"):
        booking = charge.booking
        payer = payer_of(booking)
        priced = price(facts_of(booking, payer), Terms.from_json(charge.facts["terms"]))
        want = {(p.part, p.payer_id): p.amount for p in (priced.parts if priced else ())}
        have = {}
        for line in InvoiceLine.objects.filter(charge=charge).exclude(invoice__status="void").select_related(
                "invoice__account"):
            key = (line.part, line.invoice.account.membership_id)
            have[key] = have.get(key, ZERO) + line.amount
        assert {k: v for k, v in have.items() if v} == {k: v for k, v in want.items() if v}, booking


def check_nothing_unbilled():
    """(c) every flown booking has a charge with an aircraft line."""
    for booking in Booking.objects.select_related("aircraft__billing_terms"):
        recorder = BillingBasis.from_recorder(booking.aircraft.billing_terms.basis)
        if booking.status == Booking.Status.COMPLETED or (recorder and booking.flights.exists()):
            assert InvoiceLine.objects.filter(charge__booking=booking, part="aircraft").exclude(
                invoice__status="void").exists(), booking


def check_invoices():
    """(d) issued lines numbered 1..n adding up to the total; (e) paid iff settled in full."""
    for invoice in Invoice.objects.exclude(status="draft"):
        positions = list(invoice.lines.order_by("position").values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1)), invoice
        assert invoice.total == _sum(invoice.lines.all()), invoice
        if invoice.kind == "invoice" and invoice.status in COUNTED:
            settled = _sum(invoice.allocations.all())
            assert settled <= invoice.total
            assert (invoice.status == "paid") == (settled == invoice.total), (invoice, settled)
    for note in Invoice.objects.filter(kind="credit_note", status__in=COUNTED):
        assert note.total <= 0 and _sum(note.allocations_given.all()) <= -note.total
    for payment in Payment.objects.all():
        given = _sum(payment.allocations.all())
        assert given <= payment.amount and (payment.voided_at is None or given == 0)
    assert not Allocation.objects.exclude(invoice__status__in=COUNTED).exists()


@pytest.fixture
def env(treasurer, dispatcher, pilot, pilot2, student, instructor, aircraft, aircraft2, book, fly, correct, detect_flight,
        set_terms):
    return locals()


# LEDGER_EXAMPLES=500 for a longer hunt than the suite's.
@settings(max_examples=int(os.environ.get("LEDGER_EXAMPLES", "30")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cfg=config, first=st.lists(flying, min_size=2, max_size=4), steps=st.lists(op, min_size=6, max_size=16))
def test_the_ledger_holds_together(env, cfg, first, steps):
    with transaction.atomic():
        day = Day(env, cfg)
        for step in first + steps:
            day.run(step)
        day.issue_all()
        check_balances()
        check_billed_once()
        check_nothing_unbilled()
        check_invoices()
        transaction.set_rollback(True)
