from django.core.management import call_command

from dispatch.models import Aircraft, Booking
from clubs.models import Membership, Organization


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo")
    counts = (Organization.objects.count(), Aircraft.objects.count(), Membership.objects.count(), Booking.objects.count())
    call_command("seed_demo")
    assert counts == (Organization.objects.count(), Aircraft.objects.count(), Membership.objects.count(),
                      Booking.objects.count())
    club = Organization.objects.get(slug="demo")
    assert club.name == "Demo Flying Club"
    assert Aircraft.objects.filter(organization=club).count() == 4
    assert Aircraft.objects.filter(organization=club, kind="simulator").count() == 1
    assert Aircraft.objects.filter(organization=club, status="grounded").count() == 1
    assert Booking.objects.filter(organization=club).count() >= 8
    student = Membership.objects.get(organization=club, user__username="student")
    assert student.instructor.user.username == "instructor"
