"""Polish from a browser trial: the sign-in page, accepting an invitation, the reset mail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from clubs.services import MemberDetails, member_invite
from tests.conftest import PASSWORD, client_for

PUBLIC = "https://flightline.example.org"
NEW_PASSWORD = "a-long-new-password-42"


def test_the_sign_in_page_offers_no_sign_up_while_sign_up_is_closed(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in page
    assert "sign up" not in page.lower()
    assert 'name="login"' in page and 'name="password"' in page  # still a sign-in form


def _invite(admin, email="nora@example.com"):
    _, token = member_invite(actor=admin, details=MemberDetails(full_name="Nora New", email=email,
                                                                 roles=frozenset({"pilot"})))
    return reverse("invitation_accept", args=[token])


def test_setting_the_password_of_an_invitation_leaves_the_member_signed_in_on_the_club(admin, club, client):
    r = client.post(_invite(admin), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    nora = get_user_model().objects.get(email="nora@example.com")
    assert r.context["user"] == nora and r.context["user"].is_authenticated
    assert r.redirect_chain[-1][0] == reverse("dispatch:my_bookings", args=[club.slug])
    assert r.status_code == 200 and f"Welcome to {club.name}" in r.content.decode()
    assert nora.check_password(NEW_PASSWORD)


def test_accepting_while_signed_in_as_someone_else_signs_in_the_invitee(admin, club, pilot):
    client = client_for(pilot)
    r = client.post(_invite(admin), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert r.context["user"].email == "nora@example.com"


def test_an_existing_account_still_signs_in_with_its_own_password(admin, club, other_club, client):
    from tests.conftest import make_member

    elsewhere = make_member(other_club, "nora", is_pilot=True)
    r = client.post(_invite(admin, email=elsewhere.user.email), follow=True)
    # The link alone is not a password: an account that has one signs in with it.
    assert not r.context["user"].is_authenticated
    assert r.redirect_chain[-1][0].startswith(reverse("account_login") + "?next=")
    r = client.post(r.redirect_chain[-1][0], {"login": "nora", "password": PASSWORD}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("dispatch:my_bookings", args=[club.slug])


def test_a_bad_password_keeps_the_invitee_signed_out_on_the_form(admin, club, client):
    r = client.post(_invite(admin), {"password1": NEW_PASSWORD, "password2": "something-else-99"})
    assert r.status_code == 200 and not r.context["user"].is_authenticated


@pytest.fixture
def reset_mail(client, pilot, settings):
    settings.PUBLIC_BASE_URL = PUBLIC
    client.post(reverse("account_reset_password"), {"email": pilot.user.email}, headers={"Host": "127.0.0.1:8000"})
    (message,) = mail.outbox
    return message


def test_the_reset_mail_greets_from_flightline_not_the_host(reset_mail):
    assert reset_mail.body.startswith("Hello from Flightline!")
    assert "127.0.0.1" not in reset_mail.body + reset_mail.subject
    assert reset_mail.subject.startswith("[Flightline] ")


def test_the_reset_mail_links_to_and_signs_off_with_the_public_site(reset_mail):
    (link,) = re.findall(r"\bhttps?://\S+", reset_mail.body)
    assert link.startswith(PUBLIC + "/accounts/password/reset/key/")
    assert reset_mail.body.rstrip().endswith("Thank you for using Flightline!\nflightline.example.org")


def test_an_existing_account_signed_in_already_goes_straight_to_the_club(admin, club, other_club):
    from tests.conftest import make_member

    elsewhere = make_member(other_club, "nora", is_pilot=True)
    r = client_for(elsewhere).post(_invite(admin, email=elsewhere.user.email), follow=True)
    assert r.context["user"] == elsewhere.user
    assert r.redirect_chain[-1][0] == reverse("dispatch:my_bookings", args=[club.slug])
