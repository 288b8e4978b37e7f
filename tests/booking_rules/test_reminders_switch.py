"""A member turns their own email reminders off and on; nobody else can."""

from django.urls import reverse

from clubs.models import AuditEvent, Membership
from tests.conftest import client_for


def _url(club, member):
    return reverse("booking_rules:member_reminders", args=[club.slug, member.pk])


def test_a_member_turns_their_reminders_off_and_on(club, pilot):
    client = client_for(pilot)
    page = client.get(reverse("booking_rules:member", args=[club.slug, pilot.pk])).content.decode()
    assert "Email me these reminders" in page
    assert client.post(_url(club, pilot), {}).status_code == 302
    assert Membership.objects.get(pk=pilot.pk).email_reminders is False
    assert AuditEvent.objects.filter(action="member.reminders_set", target_id=str(pilot.pk)).exists()
    client.post(_url(club, pilot), {"email_reminders": "on"})
    assert Membership.objects.get(pk=pilot.pk).email_reminders is True


def test_nobody_else_turns_them_off(club, pilot, admin):
    assert client_for(admin).post(_url(club, pilot), {}).status_code == 404
    assert Membership.objects.get(pk=pilot.pk).email_reminders is True
    page = client_for(admin).get(reverse("booking_rules:member", args=[club.slug, pilot.pk])).content.decode()
    assert "Email me these reminders" not in page
