from django.core.management import call_command

from dispatch.models import Aircraft, Booking, Dispatch, InstructorAvailability
from clubs.models import Membership, Organization


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo")
    def counts():
        return (Organization.objects.count(), Aircraft.objects.count(), Membership.objects.count(),
                Booking.objects.count(), InstructorAvailability.objects.count())
    before = counts()
    call_command("seed_demo")
    assert counts() == before
    club = Organization.objects.get(slug="demo")
    assert club.name == "Demo Flying Club"
    assert Aircraft.objects.filter(organization=club).count() == 6
    assert Aircraft.objects.filter(organization=club, kind="simulator").count() == 1
    assert Aircraft.objects.filter(organization=club, status="grounded").count() == 1
    assert Booking.objects.filter(organization=club).count() >= 15
    assert club.show_instructor_rows and club.pilots_self_dispatch
    assert InstructorAvailability.objects.filter(organization=club).count() == 4
    assert Dispatch.objects.filter(booking__organization=club).exclude(squawks="").exists()
    student = Membership.objects.get(organization=club, user__username="student")
    assert student.instructor.user.username == "instructor"


def test_the_demo_morning_sends_most_of_the_fleet_out(db):
    from datetime import datetime, time

    from django.utils import timezone

    call_command("seed_demo")
    club = Organization.objects.get(slug="demo")
    today = timezone.localdate(timezone=club.tz)
    morning = datetime.combine(today, time(10), tzinfo=club.tz)
    out = Booking.objects.filter(organization=club, start__lt=morning, end__gt=datetime.combine(today, time(7), tzinfo=club.tz))
    assert out.values("aircraft").distinct().count() >= 4


def test_the_demo_club_bills_last_month_once(db):
    from decimal import Decimal

    from accounting.models import AircraftTerms, Expense, FlightCharge, Invoice, InvoiceLine, Payment
    from accounting.selectors import balances

    call_command("seed_demo")
    club = Organization.objects.get(slug="demo")
    assert club.currency == "CAD"
    assert Membership.objects.get(organization=club, user__username="treasurer").is_treasurer
    terms = {t.aircraft.registration: t for t in AircraftTerms.objects.filter(aircraft__organization=club)}
    assert terms["C-GDFE"].basis == "engine" and not terms["C-GDFD"].wet and terms["C-GDFD"].minimum_hours == Decimal("1.0")
    issued = Invoice.objects.filter(organization=club, status__in=["issued", "paid"])
    assert issued.count() >= 3 and issued.filter(status="paid").exists()
    assert Payment.objects.filter(organization=club).count() == 2
    assert Expense.objects.get(organization=club).status == "approved"
    over = {b for pk, b in balances(club).items() if b.over_limit}
    assert len(over) == 1
    [pilot] = [pk for pk, b in balances(club).items() if b.over_limit]
    assert Membership.objects.get(account__pk=pilot).user.username == "pilot"
    renter = Membership.objects.get(organization=club, user__username="renter").account
    assert renter.group == "non_member" and 0 < balances(club)[renter.pk].owed

    def money():
        return (Invoice.objects.count(), list(Invoice.objects.order_by("pk").values_list("status", "total")),
                InvoiceLine.objects.count(), FlightCharge.objects.count(), Payment.objects.count(),
                Expense.objects.count(), Booking.objects.count())
    before = money()
    call_command("seed_demo")
    assert money() == before
