"""What each rule looks at: flight-log entries on the type for recency, accounting's balance
for the credit limit, the dates on file, checkouts and endorsements by aircraft or by type,
and a simulator exempt from the document rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounting.services.payments import payment_record
from booking_rules.services import checkout_grant, endorsement_grant
from clubs.services import member_documents_update
from core.errors import Conflict
from dispatch.models import Aircraft, BookingCrew
from dispatch.services.bookings import BookingInput, booking_create
from dispatch.services.dispatching import booking_check_in, booking_check_out
from flights.models import LogbookEntry
from tests.booking_rules.conftest import OUT
from tests.conftest import at

PIC, STUDENT = BookingCrew.Role.PIC, BookingCrew.Role.STUDENT


def _book(dispatcher, aircraft, crew, start=None, end=None, **extra):
    return booking_create(actor=dispatcher, data=BookingInput(aircraft=aircraft, start=start or at(10, 9),
                                                              end=end or at(10, 11), crew=crew, **extra))


def _codes(booking):
    return [f["code"] for f in booking.rule_findings]


def _fly(dispatcher, aircraft, pilot, day: int):
    """Fly the type on 2030-06-<day>: the check-in writes the pilot's flight-log entry."""
    booking = _book(dispatcher, aircraft, [(pilot, PIC)], at(day, 14), at(day, 15))
    aircraft.refresh_from_db()
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach,
                      at=at(day, 14))
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=aircraft.hobbs + 1, tach_in=aircraft.tach + 1)


def test_recency_counts_a_flight_log_entry_on_the_type(set_rules, dispatcher, pilot, aircraft, club):
    _fly(dispatcher, aircraft, pilot, day=3)
    assert LogbookEntry.objects.filter(membership=pilot, date=date(2030, 6, 3)).exists()
    set_rules(recency="block", recency_days=30)
    same_type = Aircraft.objects.create(organization=club, registration="F-GDEF", aircraft_type="ROBIN DR400")
    assert _codes(_book(dispatcher, same_type, [(pilot, PIC)])) == []


def test_recency_on_another_type_or_too_long_ago_does_not_count(set_rules, dispatcher, pilot, aircraft, aircraft2):
    _fly(dispatcher, aircraft2, pilot, day=3)  # a Cessna 152
    set_rules(recency="warn", recency_days=30)
    assert _codes(_book(dispatcher, aircraft, [(pilot, PIC)])) == ["recency_lapsed"]
    set_rules(recency="block", recency_days=30)
    LogbookEntry.objects.create(organization=pilot.organization, membership=pilot, date=date(2030, 4, 1),
                                aircraft=aircraft, registration=aircraft.registration, block_minutes=60, landings=1)
    with pytest.raises(Conflict) as exc:
        _book(dispatcher, aircraft, [(pilot, PIC)], at(11, 9), at(11, 10))
    assert exc.value.code == "recency_lapsed"
    assert exc.value.details["findings"][0]["facts"]["last_flown_on"] == "2030-04-01"


def test_an_instructor_on_board_exempts_checkout_and_recency(set_rules, dispatcher, pilot, instructor, aircraft):
    set_rules(recency="block", aircraft_checkout="block")
    booking = _book(dispatcher, aircraft, [(pilot, PIC), (instructor, BookingCrew.Role.INSTRUCTOR)])
    assert booking.rule_findings == []


def test_credit_limit_reads_the_issued_invoice_against_the_limit(set_rules, dispatcher, pilot, aircraft, treasurer,
                                                                 club):
    from accounting.services.invoices import invoice_issue, invoice_line_add
    from accounting.services.terms import account_update

    set_rules(credit_limit="block")
    account_update(actor=treasurer, member=pilot, group="member", credit_limit=Decimal("300"))
    line = invoice_line_add(actor=treasurer, member=pilot, description="Membership fee", amount=Decimal("250"))
    invoice_issue(actor=treasurer, invoice=line.invoice)
    assert _codes(_book(dispatcher, aircraft, [(pilot, PIC)])) == []  # 250 owed, limit 300
    line = invoice_line_add(actor=treasurer, member=pilot, description="Landing fees", amount=Decimal("100"))
    invoice_issue(actor=treasurer, invoice=line.invoice)
    with pytest.raises(Conflict) as exc:
        _book(dispatcher, aircraft, [(pilot, PIC)], at(11, 9), at(11, 10))
    assert exc.value.code == "credit_limit_exceeded"
    assert Decimal(exc.value.details["findings"][0]["facts"]["owed"]) == Decimal("350")
    payment_record(actor=treasurer, member=pilot, amount=Decimal("200"), method="cash",
                   received_on=date.today())
    assert _codes(_book(dispatcher, aircraft, [(pilot, PIC)], at(11, 9), at(11, 10))) == []


def test_documents_valid_on_the_day_pass_and_expired_ones_say_when(set_rules, dispatcher, admin, pilot, aircraft):
    set_rules(licence="block", medical="block", flight_review="block")
    member_documents_update(membership=pilot, actor=admin, licence_expires_on=date(2030, 6, 10),
                            medical_expires_on=date(2031, 1, 1), flight_review_expires_on=date(2030, 6, 9))
    with pytest.raises(Conflict) as exc:
        _book(dispatcher, aircraft, [(pilot, PIC)])
    assert exc.value.code == "flight_review_expired"
    assert [f["code"] for f in exc.value.details["findings"]] == ["flight_review_expired"]
    assert "09 Jun 2030" in exc.value.message


def test_a_simulator_needs_no_documents_checkout_recency_or_endorsement(set_rules, dispatcher, pilot, student, club):
    sim = Aircraft.objects.create(organization=club, registration="SIM-1", aircraft_type="Alsim AL42",
                                  kind=Aircraft.Kind.SIMULATOR)
    set_rules(licence="block", medical="block", flight_review="block", aircraft_checkout="block", recency="block",
              solo_endorsement="block")
    assert _book(dispatcher, sim, [(pilot, PIC)]).rule_findings == []
    assert _book(dispatcher, sim, [(student, STUDENT)], at(11, 9), at(11, 10)).rule_findings == []


def test_checkout_by_aircraft_or_by_type(set_rules, dispatcher, instructor, pilot, aircraft, aircraft2, club):
    set_rules(aircraft_checkout="block")
    checkout_grant(actor=instructor, member=pilot, aircraft=aircraft)
    assert _codes(_book(dispatcher, aircraft, [(pilot, PIC)])) == []
    with pytest.raises(Conflict) as exc:
        _book(dispatcher, aircraft2, [(pilot, PIC)], at(11, 9), at(11, 10))
    assert exc.value.code == "aircraft_checkout_missing"
    checkout_grant(actor=instructor, member=pilot, aircraft_type="cessna 152")
    assert _codes(_book(dispatcher, aircraft2, [(pilot, PIC)], at(11, 9), at(11, 10))) == []


def test_solo_endorsement_until_a_date_and_on_its_type(set_rules, dispatcher, instructor, student, aircraft, aircraft2):
    from django.utils import timezone

    set_rules(solo_endorsement="block")
    # Endorsed today for a year; the 2030 test week is later, so fly "now" instead.
    start = timezone.now().replace(microsecond=0, second=0) + timedelta(days=2)
    endorsement_grant(actor=instructor, student=student, expires_on=timezone.localdate() + timedelta(days=30),
                      aircraft_type="Robin DR400")
    assert _codes(_book(dispatcher, aircraft, [(student, STUDENT)], start, start + timedelta(hours=1))) == []
    with pytest.raises(Conflict) as exc:
        _book(dispatcher, aircraft2, [(student, STUDENT)], start + timedelta(hours=2), start + timedelta(hours=3))
    assert exc.value.code == "solo_not_endorsed"
    later = start + timedelta(days=40)
    with pytest.raises(Conflict):
        _book(dispatcher, aircraft, [(student, STUDENT)], later, later + timedelta(hours=1))


def test_check_out_sees_a_medical_lapsed_since_booking(set_rules, dispatcher, admin, pilot, aircraft):
    member_documents_update(membership=pilot, actor=admin, medical_expires_on=date(2031, 1, 1))
    set_rules(medical="block")
    booking = _book(dispatcher, aircraft, [(pilot, PIC)])
    member_documents_update(membership=pilot, actor=admin, medical_expires_on=date(2030, 1, 1))
    with pytest.raises(Conflict) as exc:
        booking_check_out(actor=dispatcher, booking=booking, **OUT)
    assert exc.value.code == "medical_expired"
