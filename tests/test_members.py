import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from clubs.models import AuditEvent, Invitation, Membership, User
from clubs.services import MemberDetails, invitation_accept, member_invite, member_set_active, member_update
from tests.conftest import client_for


def _details(**kw):
    base = {"full_name": "Nora New", "email": "Nora@Example.com", "roles": frozenset({"pilot"})}
    return MemberDetails(**{**base, **kw})


def test_invite_creates_member_sends_link_and_audits(admin, club, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership, token = member_invite(actor=admin, details=_details())
    assert membership.user.email == "nora@example.com" and not membership.user.has_usable_password()
    assert membership.wiflight_username == f"{membership.user.username}@tac.example.com"
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    assert Invitation.objects.get().token_hash != token  # only a hash is stored
    assert AuditEvent.objects.filter(action="member.invited", organization=club).exists()


def test_invite_page_and_accept_sets_password_once(admin, club, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(admin).post(reverse("member_invite", args=[club.slug]), {
            "full_name": "Nora New", "email": "nora@example.com", "roles": ["pilot", "instructor"]})
    assert r.status_code == 302
    link = re.search(r"http://\S+/invitations/\S+/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else link
    r = client.post(path, {"password1": "a-long-new-password-42", "password2": "a-long-new-password-42"})
    assert r.status_code == 302
    assert client.login(username="nora@example.com", password="a-long-new-password-42") or \
        User.objects.get(email="nora@example.com").check_password("a-long-new-password-42")
    again = client.post(path, {"password1": "another-password-77", "password2": "another-password-77"})
    assert again.status_code == 404
    assert User.objects.get(email="nora@example.com").check_password("a-long-new-password-42")


def test_invitation_token_cannot_be_reused_concurrently(admin, club):
    _, token = member_invite(actor=admin, details=_details())
    invitation_accept(token=token, password="first-password-123")
    with pytest.raises(ValidationError):
        invitation_accept(token=token, password="second-password-123")


def test_signup_is_closed(client, db):
    r = client.get(reverse("account_signup"))
    assert "closed" in r.content.decode().lower()
    client.post(reverse("account_signup"), {"username": "x", "email": "x@example.com",
                                            "password1": "pw-xx-12345678", "password2": "pw-xx-12345678"})
    assert not User.objects.filter(username="x").exists()


def test_duplicate_member_refused(admin, club, pilot):
    with pytest.raises(ValidationError, match="already a member"):
        member_invite(actor=admin, details=_details(email=pilot.user.email))


def test_existing_user_of_another_club_is_added_not_duplicated(admin, club, outsider):
    membership, _ = member_invite(actor=admin, details=_details(email=outsider.user.email))
    assert membership.user == outsider.user and User.objects.filter(email=outsider.user.email).count() == 1


def test_edit_roles_email_and_wiflight_username_is_audited(admin, pilot, club):
    member_update(membership=pilot, actor=admin, details=_details(
        full_name="Pat P.", email="pat@example.com", roles=frozenset({"pilot", "dispatcher"}),
        wiflight_username="pat@wf.example.com"))
    pilot.refresh_from_db()
    assert pilot.is_dispatcher and pilot.user.email == "pat@example.com" and pilot.wiflight_username == "pat@wf.example.com"
    event = AuditEvent.objects.get(action="member.updated")
    assert event.details["roles"] == {"from": ["pilot"], "to": ["dispatcher", "pilot"]}


def test_wiflight_username_must_be_unique_in_club(admin, pilot, pilot2):
    with pytest.raises(ValidationError, match="already has this Wi-Flight username"):
        member_update(membership=pilot2, actor=admin, details=_details(
            email="p2@example.com", wiflight_username=pilot.wiflight_username))


def test_wiflight_username_form_validation(admin, pilot, club):
    r = client_for(admin).post(reverse("member_edit", args=[club.slug, pilot.pk]), {
        "full_name": "Pat", "email": "pilot@example.com", "roles": ["pilot"], "wiflight_username": "no-domain"})
    assert r.status_code == 400 and "user@domain" in r.content.decode()


def test_deactivated_member_cannot_sign_in_and_keeps_history(admin, pilot, booking, client):
    member_set_active(membership=pilot, actor=admin, active=False)
    pilot.user.refresh_from_db()
    assert not pilot.user.is_active
    assert not client.login(username="pilot", password="correct-horse-battery-9")
    assert booking.crew.filter(membership=pilot).exists()
    member_set_active(membership=pilot, actor=admin, active=True)
    assert client.login(username="pilot", password="correct-horse-battery-9")
    assert list(AuditEvent.objects.filter(target_id=str(pilot.pk)).values_list("action", flat=True)) == [
        "member.reactivated", "member.deactivated"]


def test_member_of_two_clubs_keeps_signing_in_when_deactivated_in_one(admin, club, other_club, client):
    from tests.conftest import make_member

    m = make_member(club, "both", is_pilot=True)
    Membership.objects.create(organization=other_club, user=m.user, is_pilot=True)
    member_set_active(membership=m, actor=admin, active=False)
    m.user.refresh_from_db()
    assert m.user.is_active


def test_last_admin_cannot_be_removed(admin):
    with pytest.raises(ValidationError, match="at least one active admin"):
        member_set_active(membership=admin, actor=admin, active=False)
    with pytest.raises(ValidationError, match="at least one active admin"):
        member_update(membership=admin, actor=admin, details=_details(email="admin@example.com"))


def test_audit_log_page_for_admin_only(admin, pilot, club):
    member_set_active(membership=pilot, actor=admin, active=False)
    html = client_for(admin).get(reverse("audit_log", args=[club.slug])).content.decode()
    assert "Deactivated Pilot" in html


def test_admin_of_another_club_cannot_change_a_shared_members_email(admin, club, outsider):
    membership, _ = member_invite(actor=admin, details=_details(email=outsider.user.email))
    with pytest.raises(ValidationError, match="also belongs to another club"):
        member_update(membership=membership, actor=admin, details=_details(email="attacker@evil.test"))
    outsider.user.refresh_from_db()
    assert outsider.user.email == "outsider@example.com"
    # Club-owned fields still change.
    member_update(membership=membership, actor=admin, details=_details(
        email=outsider.user.email, full_name=outsider.user.full_name, roles=frozenset({"pilot", "instructor"})))
    membership.refresh_from_db()
    assert membership.is_instructor


def test_reactivation_does_not_reenable_an_account_the_operator_disabled(admin, pilot, pilot2):
    member_set_active(membership=pilot2, actor=admin, active=False)
    from clubs.models import User as U

    U.objects.filter(pk=pilot.user.pk).update(is_active=False)  # the operator disabled it
    member_set_active(membership=pilot, actor=admin, active=False)
    member_set_active(membership=pilot, actor=admin, active=True)
    pilot.user.refresh_from_db()
    pilot2.user.refresh_from_db()
    assert pilot.user.is_active is False
    member_set_active(membership=pilot2, actor=admin, active=True)
    pilot2.user.refresh_from_db()
    assert pilot2.user.is_active is True
