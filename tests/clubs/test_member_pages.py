"""The member pages an admin uses: deactivate and reactivate, send a new invitation."""

from django.core import mail
from django.urls import reverse

from clubs.models import AuditEvent, Membership
from tests.conftest import client_for


def _activation(club, member):
    return reverse("member_activation", args=[club.slug, member.pk])


def test_admin_deactivates_and_reactivates_a_member(admin, pilot, club):
    client = client_for(admin)
    response = client.post(_activation(club, pilot), {"action": "deactivate", "confirm": "yes"}, follow=True)
    assert "Pilot is deactivated." in response.content.decode()
    assert not Membership.objects.get(pk=pilot.pk).is_active
    assert AuditEvent.objects.filter(action="member.deactivated", target_id=str(pilot.pk)).exists()
    response = client.post(_activation(club, pilot), {"action": "reactivate"}, follow=True)
    assert "Pilot is active." in response.content.decode()
    assert Membership.objects.get(pk=pilot.pk).is_active


def test_deactivating_the_last_admin_is_refused_with_the_reason_and_changes_nothing(admin, club):
    response = client_for(admin).post(_activation(club, admin), {"action": "deactivate", "confirm": "yes"}, follow=True)
    assert "at least one active admin" in response.content.decode()
    assert Membership.objects.get(pk=admin.pk).is_active
    assert not AuditEvent.objects.filter(action="member.deactivated").exists()


def test_admin_sends_a_new_invitation(admin, pilot, club, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(reverse("member_reinvite", args=[club.slug, pilot.pk]), follow=True)
    assert f"A new invitation was sent to {pilot.user.email}." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[pilot.user.email]]
    assert "/invitations/" in mail.outbox[0].body


def test_a_dispatcher_sees_the_members_but_not_the_admin_actions(dispatcher, pilot, club):
    client = client_for(dispatcher)
    page = client.get(reverse("member_list", args=[club.slug])).content.decode()
    assert "Pilot" in page and _activation(club, pilot) not in page
    assert client.post(_activation(club, pilot), {"action": "deactivate", "confirm": "yes"}).status_code == 404
    assert Membership.objects.get(pk=pilot.pk).is_active
