"""Billing a flown booking: once, from whichever fact comes first, and again after every
later one, never silently.

`booking_bill` runs inside the transaction of the change that brought a fact (a check-in, a
corrected check-in, a flight detected or assigned): it prices the booking (accounting.pricing)
and makes its lines say so. A line still on a draft is replaced; once issued, a line is never
touched: the difference goes on the member's draft invoice (more to pay) or a draft credit
note (less), which the treasurer issues. Voiding an invoice bills its flights again.

The booking row is locked first (as the flight log's paths do), so a check-in and a flight
detected at the same moment price it one after the other; then the payers' accounts, in id
order, so no two billing runs deadlock.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from accounting.models import AircraftTerms, FlightCharge, InstructorRate, Invoice, InvoiceLine, MemberGroup
from accounting.models.rates import BillingBasis
from accounting.money import ZERO
from accounting.pricing import Facts, Part, Terms, price
from accounting.services.accounts import account_for, billing_settings_for, money_quantum
from accounting.services.ledger import add_line, draft_for, remove_draft_lines
from clubs.changes import change_record
from clubs.models import Membership
from core.entry_points import system_entry_point
from dispatch.models import Booking, BookingCrew, Dispatch

COUNTED = (Invoice.Status.ISSUED, Invoice.Status.PAID)


def _crew(booking: Booking) -> dict[str, BookingCrew]:
    by_role = {}
    for slot in booking.crew.select_related("membership__organization").order_by("pk"):
        by_role.setdefault(slot.role, slot)
    return by_role


@system_entry_point("a read of one booking for booking_bill")
def payer_of(booking: Booking, crew: dict | None = None):
    """Who pays for the aircraft: the student, else the pilot in command, else the
    instructor flying alone."""
    crew = crew if crew is not None else _crew(booking)
    slot = crew.get(BookingCrew.Role.STUDENT) or crew.get(BookingCrew.Role.PIC) or crew.get(BookingCrew.Role.INSTRUCTOR)
    return slot.membership if slot else None


@system_entry_point("a read of one booking's terms for booking_bill")
def current_terms(booking: Booking, crew: dict | None = None) -> Terms:
    settings = billing_settings_for(booking.organization)
    aircraft = booking.aircraft
    terms = AircraftTerms.objects.filter(aircraft=aircraft).first() or AircraftTerms(aircraft=aircraft)
    instructor = (crew if crew is not None else _crew(booking)).get(BookingCrew.Role.INSTRUCTOR)
    rate = InstructorRate.objects.filter(instructor_id=instructor.membership_id).first() if instructor else None
    return Terms(
        basis=terms.basis, wet=terms.wet, taxi_allowance_minutes=terms.taxi_allowance_minutes,
        minimum_hours=terms.minimum_hours,
        rates={MemberGroup.MEMBER: aircraft.hourly_rate, MemberGroup.STUDENT: terms.student_rate,
               MemberGroup.NON_MEMBER: terms.non_member_rate},
        instructor_flight_rate=rate.flight_rate if rate else ZERO,
        instructor_ground_rate=rate.ground_rate if rate else ZERO,
        hours_step=settings.hours_quantum, money_step=money_quantum(settings))


@system_entry_point("a read of one booking's facts for booking_bill")
def facts_of(booking: Booking, payer, crew: dict | None = None) -> Facts:
    record = Dispatch.objects.filter(booking=booking).first()
    checked_in = record is not None and record.hobbs_in is not None
    instructor = (crew if crew is not None else _crew(booking)).get(BookingCrew.Role.INSTRUCTOR)
    flights = tuple(booking.flights.order_by("start", "pk").values_list("engine_seconds", "airtime_seconds"))
    when = record.checked_out_at if record else booking.start
    return Facts(
        registration=booking.aircraft.registration,
        day=timezone.localtime(when, booking.organization.tz).date().isoformat(),
        payer_id=payer.pk, payer_group=account_for(payer).group,
        instructor_id=instructor.membership_id if instructor else None,
        hobbs_hours=record.hobbs_hours if checked_in else None,
        tach_hours=record.tach_hours if checked_in else None,
        flights=flights,
        fuel_cost=record.fuel_cost if checked_in else ZERO,
        ground_hours=record.ground_hours if checked_in else ZERO)


def _facts_json(facts: Facts) -> dict:
    return {"hobbs_hours": None if facts.hobbs_hours is None else str(facts.hobbs_hours),
            "tach_hours": None if facts.tach_hours is None else str(facts.tach_hours),
            "flights": [list(f) for f in facts.flights], "fuel_cost": str(facts.fuel_cost),
            "ground_hours": str(facts.ground_hours), "payer_id": facts.payer_id, "payer_group": facts.payer_group,
            "instructor_id": facts.instructor_id}


@system_entry_point("a step of a check-in, a correction or a flight's arrival, whose services checked the actor")
def booking_bill(*, booking_id: int, actor=None) -> FlightCharge | None:
    """Price a flown booking and make its lines agree (see the module docstring). Nothing
    happens while nothing says how long it flew (a Hobbs-billed booking not yet checked in)."""
    # The booking row alone, and FOR NO KEY UPDATE: a flight being inserted for this booking
    # and aircraft holds KEY SHARE on both rows (its foreign keys), and locking them here too
    # deadlocked two notifications of one flight (tests/accounting/test_bill_locks.py).
    booking = (Booking.objects.select_for_update(of=("self",), no_key=True).select_related("organization", "aircraft")
               .filter(pk=booking_id).first())
    if booking is None or booking.status == Booking.Status.CANCELLED:
        return None
    charge = FlightCharge.objects.filter(booking=booking).first()
    crew = _crew(booking)
    terms = Terms.from_json(charge.facts["terms"]) if charge else current_terms(booking, crew)
    if booking.status != Booking.Status.COMPLETED and charge is None and not (
            BillingBasis.from_recorder(terms.basis) and booking.flights.exists()):
        return None
    payer = payer_of(booking, crew)
    if payer is None:
        return None
    facts = facts_of(booking, payer, crew)
    priced = price(facts, terms)
    if priced is None and charge is None:
        return None
    if charge is None:
        charge = FlightCharge.objects.create(organization=booking.organization, booking=booking, basis=priced.basis,
                                             hours=priced.hours, facts={"terms": terms.as_json()})
    # Nothing says how long it flew any more (its only flight moved to another booking, and it
    # was never checked in): what it was billed is taken back, drafted or credited.
    basis, hours, parts = (priced.basis, priced.hours, priced.parts) if priced else (charge.basis, ZERO, ())
    charge.basis, charge.hours = basis, hours
    charge.facts = {"terms": charge.facts["terms"], "facts": _facts_json(facts)}
    charge.save()
    changed = _reconcile(charge, parts)
    if changed:
        change_record(event="charge.priced", organization=booking.organization, actor=actor, target=booking,
                      audit_action="billing.priced",
                      summary=f"Billed {booking.aircraft.registration} {facts.day}: {hours} h {basis}",
                      details={"changes": changed},
                      payload={"booking_id": booking.pk, "charge_id": charge.pk, "hours": str(hours), "basis": basis})
    return charge


def _reconcile(charge: FlightCharge, parts: tuple[Part, ...]) -> list[dict]:
    """Make the charge's lines say `parts`; returns what changed, for the audit log."""
    wanted = {(p.part, p.payer_id): p for p in parts}
    lines = list(InvoiceLine.objects.filter(charge=charge).exclude(invoice__status=Invoice.Status.VOID)
                 .select_related("invoice__account"))
    have = defaultdict(list)
    for line in lines:
        have[(line.part, line.invoice.account.membership_id)].append(line)
    keys = sorted(set(wanted) | set(have), key=lambda k: (k[1], k[0]))
    members = {m.pk: m for m in Membership.objects.filter(pk__in={k[1] for k in keys}).order_by("pk")}
    accounts = {pk: account_for(members[pk], lock=True) for pk in sorted(members)}
    changed = []
    for key in keys:
        part, existing = wanted.get(key), have.get(key, [])
        drafts = [line for line in existing if line.invoice.is_draft]
        issued = sum((line.amount for line in existing if line.invoice.status in COUNTED), ZERO)
        if not any(line.invoice.status in COUNTED for line in existing):
            if part is not None and len(drafts) == 1 and _same(drafts[0], part):
                continue
            remove_draft_lines(drafts)
            if part is not None:
                add_line(draft_for(accounts[key[1]]), kind=part.part, description=part.description,
                         quantity=part.quantity, unit_price=part.unit_price, amount=part.amount, charge=charge,
                         part=part.part)
            changed.append({"part": key[0], "member_id": key[1], "to": None if part is None else str(part.amount)})
            continue
        difference = (part.amount if part else ZERO) - issued
        current = sum((line.amount for line in drafts), ZERO)
        if current == difference and len(drafts) <= 1 and (drafts or difference == 0):
            continue
        remove_draft_lines(drafts)
        if difference != 0:
            _correct(accounts[key[1]], charge, key[0], part, existing, issued, difference)
        changed.append({"part": key[0], "member_id": key[1], "billed": str(issued), "correction": str(difference)})
    return changed


def _same(line: InvoiceLine, part: Part) -> bool:
    return (line.amount, line.quantity, line.unit_price, line.description) == (
        part.amount, part.quantity, part.unit_price, part.description)


def _correct(account, charge, part_name: str, part: Part | None, existing, issued: Decimal, difference: Decimal):
    """The difference between what an issued invoice billed and what is now due: more goes on
    the draft invoice, less on a draft credit note crediting the invoice that billed it."""
    billed_on = next((line.invoice for line in existing if line.invoice.status in COUNTED
                      and line.invoice.kind == Invoice.Kind.INVOICE), None)
    what = part.description if part else dict(InvoiceLine.Kind.choices).get(part_name, part_name)
    reference = f" (billed on {billed_on.number})" if billed_on else ""
    target = draft_for(account) if difference > 0 else draft_for(account, Invoice.Kind.CREDIT_NOTE, credits=billed_on)
    add_line(target, kind=InvoiceLine.Kind.CORRECTION, description=f"Correction: {what}{reference}"[:200],
             quantity=Decimal(1), unit_price=difference, amount=difference, charge=charge, part=part_name)


@system_entry_point("a read for invoice_void, which checked the actor")
def charges_of_lines(lines) -> set[int]:
    return {line.charge.booking_id for line in lines if line.charge_id}
