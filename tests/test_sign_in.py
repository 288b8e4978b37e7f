import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


def _sign_in(client, login):
    return client.post(reverse("account_login"), {"login": login, "password": PASSWORD})


@pytest.mark.parametrize("login", ["dispatcher", "dispatcher@example.com"])
def test_sign_in_with_username_or_email(client, dispatcher, login):
    r = _sign_in(client, login)
    assert r.status_code == 302


def test_each_role_lands_where_its_day_starts(client, admin, dispatcher, pilot, club):
    for member, expected in [(admin, f"/o/{club.slug}/"), (dispatcher, f"/o/{club.slug}/board/"),
                             (pilot, f"/o/{club.slug}/bookings/mine/")]:
        client.logout()
        _sign_in(client, member.user.username)
        assert client.get("/")["Location"] == expected


def test_member_of_two_clubs_chooses(client, pilot, other_club):
    from clubs.models import Membership

    Membership.objects.create(organization=other_club, user=pilot.user, is_pilot=True)
    _sign_in(client, "pilot")
    html = client.get("/").content.decode()
    assert "Test Aero Club" in html and "Other Club" in html


def test_login_failures_are_rate_limited(client, pilot):
    pages = [client.post(reverse("account_login"), {"login": "pilot", "password": "wrong"}).content.decode()
             for _ in range(6)]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # Even the right password is refused while the limit holds.
    right = client.post(reverse("account_login"), {"login": "pilot", "password": PASSWORD})
    assert right.status_code == 200 and "Too many failed login attempts" in right.content.decode()


def test_password_reset_sends_email(client, pilot):
    client.post(reverse("account_reset_password"), {"email": "pilot@example.com"})
    assert len(mail.outbox) == 1 and "password" in mail.outbox[0].body.lower()


def test_sign_out_needs_post(client, pilot):
    client.force_login(pilot.user)
    client.get(reverse("account_logout"))
    assert client.get("/").status_code == 302 and "_auth_user_id" in client.session
