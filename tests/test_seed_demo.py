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
