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


def test_the_demo_fleet_shows_its_maintenance(db):
    from maintenance import due
    from maintenance.models import Squawk
    from maintenance.selectors import aircraft_maintenance

    call_command("seed_demo")
    club = Organization.objects.get(slug="demo")
    fleet = {a.registration: a for a in Aircraft.objects.filter(organization=club)}
    due_soon = aircraft_maintenance(fleet["C-GDFE"])
    [hundred] = [i for i in due_soon.items if i.item.kind == "hundred_hour"]
    assert hundred.state == due.State.DUE_SOON and 0 < hundred.standing.hours_left <= 10
    assert not fleet["C-GDFE"].is_grounded
    grounded = fleet["C-FDFC"]
    assert grounded.is_grounded and grounded.grounded_by_maintenance
    assert "Annual inspection" in grounded.grounded_reason
    assert any(i.state == due.State.OVERDUE for i in aircraft_maintenance(grounded).items)
    [deferred] = aircraft_maintenance(fleet["C-GDFB"]).deferred
    assert deferred.status == Squawk.Status.OPEN and deferred.maintenance_note
    assert not fleet["C-GDFB"].is_grounded
    assert Membership.objects.get(organization=club, user__username="mechanic").is_maintenance


def test_the_demo_rules_warn_on_the_medical_and_block_without_a_checkout(db):
    from datetime import timedelta

    from django.utils import timezone

    from booking_rules.checks import rules_of
    from booking_rules.models import AircraftCheckout, SoloEndorsement

    call_command("seed_demo")
    club = Organization.objects.get(slug="demo")
    rules = rules_of(club)
    assert rules.medical == "warn" and rules.aircraft_checkout == "block"
    checked_out = set(AircraftCheckout.objects.filter(organization=club, revoked_at__isnull=True)
                      .values_list("membership__user__username", flat=True))
    assert {"instructor", "instructor2", "pilot", "renter", "student"} <= checked_out
    assert "cadet" not in checked_out
    today = timezone.localdate(timezone=club.tz)
    members = Membership.objects.filter(organization=club)
    soon = [m for m in members if m.medical_expires_on and today <= m.medical_expires_on <= today + timedelta(days=30)]
    assert [m.user.username for m in soon] == ["renter"]
    assert members.filter(is_pilot=True, medical_expires_on__isnull=True).count() == 0
    [solo] = SoloEndorsement.objects.filter(organization=club, membership__user__username="student")
    assert solo.expires_on > today and solo.instructor.user.username == "instructor"
    # The bookings went through the rules: none was refused (the schedule is all there).
    assert Booking.objects.filter(organization=club).count() >= 15


def test_the_demo_checkout_rule_blocks_the_cadet_alone(db):
    from datetime import datetime, time, timedelta

    import pytest
    from django.utils import timezone

    from core.errors import Conflict
    from dispatch.models import BookingCrew
    from dispatch.services.bookings import BookingInput, booking_create

    call_command("seed_demo")
    club = Organization.objects.get(slug="demo")
    cadet = Membership.objects.get(organization=club, user__username="cadet")
    aircraft = Aircraft.objects.get(organization=club, registration="C-GDFD")
    start = datetime.combine(timezone.localdate(timezone=club.tz) + timedelta(days=5), time(16), tzinfo=club.tz)
    with pytest.raises(Conflict) as refused:
        booking_create(actor=cadet, data=BookingInput(aircraft=aircraft, start=start, end=start + timedelta(hours=1),
                                                      crew=[(cadet, BookingCrew.Role.PIC)]))
    assert refused.value.code == "aircraft_checkout_missing"


def test_the_demo_calendar_has_ground_school_this_week_and_a_fly_in(db):
    from datetime import timedelta

    from django.utils import timezone

    from calendars.models import ClubEvent

    call_command("seed_demo")
    club = Organization.objects.get(slug="demo")
    today = timezone.localdate(timezone=club.tz)
    events = {e.kind: e for e in ClubEvent.objects.filter(organization=club, cancelled_at__isnull=True)}
    school = events["ground_school"]
    assert today <= timezone.localtime(school.start, club.tz).date() <= today + timedelta(days=6)
    assert school.instructor.user.username == "instructor"
    assert timezone.localtime(events["fly_in"].start, club.tz).date() > today
    call_command("seed_demo")
    assert ClubEvent.objects.filter(organization=club).count() == 2


def test_the_demo_seed_adds_nothing_new_the_second_time(db):
    from io import StringIO

    from booking_rules.models import AircraftCheckout, SoloEndorsement
    from clubs.models import AuditEvent
    from maintenance.models import MaintenanceItem, Squawk

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "flightline-demo" not in out.getvalue() and "secret" not in out.getvalue().lower()

    def rows():
        return (MaintenanceItem.objects.count(), Squawk.objects.count(), AircraftCheckout.objects.count(),
                SoloEndorsement.objects.count(), AuditEvent.objects.count(),
                list(Membership.objects.order_by("pk").values_list("medical_expires_on", flat=True)))
    before = rows()
    call_command("seed_demo", stdout=StringIO())
    assert rows() == before


def test_later_demo_days_keep_the_100_hour_due_soon_until_someone_signs_it_off(db):
    from maintenance import due
    from maintenance.models import MaintenanceItem
    from maintenance.selectors import aircraft_maintenance

    call_command("seed_demo")
    item = MaintenanceItem.objects.get(aircraft__registration="C-GDFE", kind="hundred_hour")
    # As if later demo days had flown past it (nobody signed it off).
    MaintenanceItem.objects.filter(pk=item.pk).update(next_due_hours=item.next_due_hours - 20)
    call_command("seed_demo")
    aircraft = Aircraft.objects.get(pk=item.aircraft_id)
    [hundred] = [i for i in aircraft_maintenance(aircraft).items if i.item.kind == "hundred_hour"]
    assert hundred.state == due.State.DUE_SOON and not aircraft.is_grounded


def test_an_earlier_demo_grounded_by_hand_is_handed_to_maintenance(db):
    from maintenance.models import MaintenanceItem
    from portal.management.commands import _demo_maintenance

    call_command("seed_demo")
    # As the seed before maintenance left it: C-FDFC grounded by a person, no items.
    aircraft = Aircraft.objects.get(registration="C-FDFC")
    MaintenanceItem.objects.filter(aircraft=aircraft).delete()
    Aircraft.objects.filter(pk=aircraft.pk).update(grounded_by_maintenance=False,
                                                   grounded_reason=_demo_maintenance.EARLIER_DEMO_REASON)
    call_command("seed_demo")
    aircraft.refresh_from_db()
    assert aircraft.is_grounded and aircraft.grounded_by_maintenance
    assert "Annual inspection" in aircraft.grounded_reason
