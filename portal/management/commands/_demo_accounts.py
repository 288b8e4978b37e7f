"""The demo club's money, for seed_demo: its billing terms (in Canadian dollars), a month of
flying in the previous month billed, invoiced and partly paid, an approved expense and a
member over their credit limit, so every accounting page has something to show.

Everything goes through the accounting services (and the check-in, whose subscriber bills
the flight), as a treasurer would do it. Run twice it adds nothing: the terms are set only
while the club has no invoice (its currency cannot change after), the month's bookings only
where their slot is still free, and the month's invoicing only while nothing is issued yet.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounting.models import Invoice, MemberGroup
from accounting.services.expenses import expense_decide, expense_submit
from accounting.services.invoices import invoices_issue_all
from accounting.services.payments import payment_record
from accounting.services.terms import (account_update, aircraft_terms_update, billing_settings_update,
                                       instructor_rate_update)
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services import rules
from dispatch.services.bookings import BookingInput, booking_create
from dispatch.services.dispatching import booking_check_in, booking_check_out

CURRENCY = "CAD"
# Registration -> (basis, wet, minimum hours, student rate, non-member rate); the member rate
# is the aircraft's hourly rate.
TERMS = {
    "C-GDFA": ("hobbs", True, "0", "175.00", "215.00"),
    "C-GDFB": ("hobbs", True, "0", "175.00", "215.00"),
    "C-FDFC": ("hobbs", True, "0", "155.00", "195.00"),
    "SIM1": ("hobbs", True, "0", "75.00", None),
    "C-GDFD": ("hobbs", False, "1.0", "130.00", "165.00"),  # dry, with a minimum: a short lesson costs an hour
    "C-GDFE": ("engine", True, "0", None, "245.00"),  # billed on the recorder's engine time
}
INSTRUCTOR_RATES = {"instructor": ("65.00", "55.00"), "instructor2": ("60.00", "50.00")}
GROUPS = {"student": MemberGroup.STUDENT, "cadet": MemberGroup.STUDENT, "renter": MemberGroup.NON_MEMBER}
# Pat Pilot's limit is small: their unpaid invoice puts them over it.
OVER_LIMIT = ("pilot", Decimal("250.00"))
# (day of the previous month, aircraft index, start hour, hours, crew, purpose, fuel bought, ground hours)
LAST_MONTH = [
    (4, 0, 9, 2, [("instructor", "instructor"), ("student", "student")], "training", "0", "0.5"),
    (5, 1, 10, 2, [("pilot", "pic")], "rental", "62.40", "0"),
    (7, 4, 9, 2, [("renter", "pic")], "rental", "0", "0"),
    (8, 5, 13, 2, [("instructor2", "instructor"), ("cadet", "student")], "training", "0", "0.7"),
    (11, 4, 8, 1, [("student", "pic")], "training", "0", "0"),
    (12, 0, 14, 3, [("pilot", "pic")], "rental", "0", "0"),
    (15, 3, 10, 1, [("cadet", "pic")], "training", "0", "0"),
    (18, 5, 9, 3, [("pilot", "pic")], "rental", "0", "0"),
    (19, 1, 9, 2, [("renter", "pic")], "rental", "48.10", "0"),
    (21, 0, 10, 2, [("instructor", "instructor"), ("student", "student")], "training", "0", "1.0"),
    (25, 4, 15, 2, [("instructor2", "instructor"), ("cadet", "student")], "training", "0", "0"),
]


def fly(dispatcher, booking: Booking, hours: int, *, fuel: str = "0", ground: str = "0", squawks: str = "") -> None:
    """Check the booking out at its start and in at its end, 0.3 h short of the booked time."""
    aircraft = Aircraft.objects.get(pk=booking.aircraft_id)
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach,
                      at=booking.start)
    flown = Decimal(hours) - Decimal("0.3")
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=aircraft.hobbs + flown,
                     tach_in=aircraft.tach + flown - Decimal("0.2"), at=booking.end, squawks=squawks,
                     fuel_cost=Decimal(fuel), ground_hours=Decimal(ground))


def billing_terms(club, members, fleet) -> None:
    """Currency, rounding, numbering and limits; each aircraft's terms, the instructors' rates,
    the members' groups. Before any flight is billed, so the first charges use them."""
    if Invoice.objects.filter(organization=club).exists():
        return
    treasurer = members["treasurer"]
    with transaction.atomic():
        billing_settings_update(actor=treasurer, currency=CURRENCY, hours_step="0.1", money_step="0.01",
                                payment_terms_days=30, invoice_prefix="DFC-", credit_note_prefix="DFC-CN-",
                                # The renter's week of rentals (owed plus pending, up to about
                                # 1,160 once today's has flown) stays under the non-members'
                                # limit at any hour: the pilot alone is over theirs.
                                credit_limits={"member": None, "student": Decimal("2000.00"),
                                               "non_member": Decimal("1500.00")})
        for aircraft in fleet:
            basis, wet, minimum, student, non_member = TERMS[aircraft.registration]
            aircraft_terms_update(actor=treasurer, aircraft=aircraft, basis=basis, wet=wet, taxi_allowance_minutes=0,
                                  minimum_hours=Decimal(minimum), member_rate=aircraft.hourly_rate,
                                  student_rate=student and Decimal(student),
                                  non_member_rate=non_member and Decimal(non_member))
        for name, (flight_rate, ground_rate) in INSTRUCTOR_RATES.items():
            instructor_rate_update(actor=treasurer, instructor=members[name], flight_rate=Decimal(flight_rate),
                                   ground_rate=Decimal(ground_rate))
        for name, group in GROUPS.items():
            account_update(actor=treasurer, member=members[name], group=group, credit_limit=None)


def _previous_month(club) -> tuple[date, date]:
    first_of_this = timezone.localdate(timezone=club.tz).replace(day=1)
    return (first_of_this - timedelta(days=1)).replace(day=1), first_of_this


def last_month(club, members, fleet) -> int:
    """The previous month flown and checked in (billed by accounting as each check-in lands);
    then, once, the month's run: a deposit paid ahead, an expense approved, every draft
    issued, a partial payment, and a small credit limit the pilot's unpaid invoice exceeds."""
    first, _ = _previous_month(club)
    dispatcher, treasurer, flown = members["dispatcher"], members["treasurer"], 0
    for day, ac, hour, hours, crew, purpose, fuel, ground in LAST_MONTH:
        aircraft = Aircraft.objects.get(pk=fleet[ac].pk)
        start = datetime.combine(first.replace(day=day), time(hour), tzinfo=club.tz)
        end = start + timedelta(hours=hours)
        if aircraft.is_grounded or rules.aircraft_conflict(aircraft, start, end) is not None:
            continue
        with transaction.atomic():
            booking = booking_create(actor=dispatcher, data=BookingInput(
                aircraft=aircraft, start=start, end=end, purpose=purpose,
                crew=[(members[m], BookingCrew.Role(role)) for m, role in crew]))
            fly(dispatcher, booking, hours, fuel=fuel, ground=ground)
        flown += 1
    if Invoice.objects.filter(organization=club).exclude(status=Invoice.Status.DRAFT).exists():
        return flown
    with transaction.atomic():
        payment_record(actor=treasurer, member=members["cadet"], amount=Decimal("1500.00"), method="transfer",
                       received_on=first, reference="Deposit", note="Paid ahead for the season")
        expense = expense_submit(actor=members["pilot"], member=members["pilot"], spent_on=first.replace(day=12),
                                 description="Two quarts of oil for C-GDFA, bought away", amount=Decimal("38.75"),
                                 receipt_reference="CYKZ-4471")
        expense_decide(actor=treasurer, expense=expense, approve=True, note="Receipt seen")
        invoices_issue_all(actor=treasurer)
        renters = Invoice.objects.filter(account__membership=members["renter"], status=Invoice.Status.ISSUED).first()
        if renters is not None:
            payment_record(actor=treasurer, member=members["renter"], amount=(renters.total / 2).quantize(Decimal("1")),
                           method="card", received_on=timezone.localdate(timezone=club.tz), reference="Half now",
                           invoice=renters)
        name, limit = OVER_LIMIT
        account_update(actor=treasurer, member=members[name], group=MemberGroup.MEMBER, credit_limit=limit)
    return flown
