"""Club services protect themselves: role and club checked by the service, refusals coded."""

import pytest
from django.core import mail

from clubs.models import AuditEvent, Membership
from clubs.services import (MemberDetails, invitation_resend, member_invite, member_set_active, member_update,
                            organization_update)
from core.errors import NotAllowed, NotFound


def _details(**kw):
    base = {"full_name": "Nora New", "email": "nora@example.com", "roles": frozenset({"pilot"})}
    return MemberDetails(**{**base, **kw})


def test_invitation_email_is_plain_text_not_html_escaped(admin, club, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_invite(actor=admin, details=_details(full_name='Robin "Bobby" O\'Neil'))
    body = mail.outbox[0].body
    assert 'Hello Robin "Bobby" O\'Neil,' in body
    assert "&quot;" not in body and "&#x27;" not in body


def test_invitation_resend_sends_a_new_link_and_expires_the_old(admin, club, django_capture_on_commit_callbacks):
    membership, first = member_invite(actor=admin, details=_details())
    with django_capture_on_commit_callbacks(execute=True):
        second = invitation_resend(membership=membership, actor=admin)
    assert second != first and second in mail.outbox[-1].body
    from clubs.services import invitation_lookup

    assert invitation_lookup(first) is None and invitation_lookup(second) is not None
    assert AuditEvent.objects.filter(action="member.invitation_resent", target_id=str(membership.pk)).exists()


def test_pilot_cannot_invite_or_change_members(pilot, pilot2):
    with pytest.raises(NotAllowed) as exc:
        member_invite(actor=pilot, details=_details())
    assert exc.value.code == "not_allowed"
    with pytest.raises(NotAllowed):
        member_set_active(membership=pilot2, actor=pilot, active=False)
    assert Membership.objects.get(pk=pilot2.pk).is_active


def test_admin_of_another_club_cannot_touch_this_clubs_members(outsider, pilot):
    with pytest.raises(NotFound):
        member_set_active(membership=pilot, actor=outsider, active=False)
    with pytest.raises(NotFound):
        member_update(membership=pilot, actor=outsider, details=_details(email=pilot.user.email))
    with pytest.raises(NotFound):
        invitation_resend(membership=pilot, actor=outsider)
    pilot.refresh_from_db()
    assert pilot.is_active and pilot.user.full_name == "Pilot"


def test_instructor_of_another_club_refused(admin, outsider):
    outsider.is_instructor = True
    outsider.save()
    with pytest.raises(NotFound):
        member_invite(actor=admin, details=_details(instructor=outsider))
    assert not Membership.objects.filter(user__email="nora@example.com").exists()


def test_last_admin_refusal_has_a_code(admin):
    with pytest.raises(Exception) as exc:
        member_set_active(membership=admin, actor=admin, active=False)
    assert exc.value.code == "last_admin"


def test_dispatcher_cannot_change_club_settings_service(dispatcher, club):
    with pytest.raises(NotAllowed):
        organization_update(actor=dispatcher, name="Hijacked", timezone_name="UTC", wiflight_user_domain="")
    club.refresh_from_db()
    assert club.name == "Test Aero Club"


# --- control characters (issue 10): a name Wi-Flight's XML cannot carry is refused at the door --

@pytest.mark.parametrize("field,value", [
    ("full_name", "Vert\x0bical Tab"),
    ("full_name", "Bell\x07"),
    ("full_name", "Null\x00"),
    ("wiflight_username", "pi\x1blot@tac.example.com"),
])
def test_member_services_refuse_control_characters(admin, pilot, field, value):
    from core.errors import Invalid

    before = (pilot.user.full_name, pilot.wiflight_username)
    with pytest.raises(Invalid) as exc:
        member_update(membership=pilot, actor=admin, details=_details(
            email=pilot.user.email, roles=frozenset(pilot.roles), **{field: value}))
    assert (exc.value.code, exc.value.field) == ("control_characters", field)
    pilot.refresh_from_db()
    pilot.user.refresh_from_db()
    assert (pilot.user.full_name, pilot.wiflight_username) == before
    with pytest.raises(Invalid):
        member_invite(actor=admin, details=_details(email="fresh@example.com", **{field: value}))
    assert not Membership.objects.filter(user__email="fresh@example.com").exists()


def test_member_form_refuses_a_vertical_tab_in_the_name(admin, pilot, club):
    from django.urls import reverse

    from tests.conftest import client_for

    response = client_for(admin).post(reverse("member_edit", args=[club.slug, pilot.pk]), {
        "full_name": "Vert\x0bical", "email": pilot.user.email, "roles": ["pilot"], "wiflight_username": ""})
    assert response.status_code == 400
    assert "cannot contain control characters" in response.content.decode()
    pilot.user.refresh_from_db()
    assert pilot.user.full_name != "Vert\x0bical"
