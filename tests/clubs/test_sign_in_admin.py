"""The Django admin signs in through the site's sign-in, so the site's login limits guard it.

(Found in an attack on the demo: 25 wrong passwords at /django-admin/login/, then the right
one, signed in.) Production without DJANGO_ADMIN_ENABLED: tests/test_settings_production.py.
"""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, make_member

ADMIN_LOGIN = "/django-admin/login/"


@pytest.fixture
def operator(club):
    user = make_member(club, "operator").user
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def _site_login(client, password, next_url="/django-admin/"):
    return client.post(reverse("account_login"), {"login": "operator", "password": password, "next": next_url})


def test_the_admin_login_form_never_signs_anyone_in(client, operator):
    for password in ["wrong"] * 25 + [PASSWORD]:
        r = client.post(ADMIN_LOGIN, {"username": "operator", "password": password, "next": "/django-admin/"})
        assert r.status_code == 302 and r["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_admin_sends_you_to_the_site_sign_in_and_back(client, operator):
    r = client.get("/django-admin/", follow=True)
    assert r.redirect_chain[-1][0] == reverse("account_login") + "?next=%2Fdjango-admin%2F"
    assert _site_login(client, PASSWORD)["Location"] == "/django-admin/"
    assert client.get("/django-admin/").status_code == 200


def test_the_site_login_limits_guard_the_admin(client, operator):
    for _ in range(5):
        _site_login(client, "wrong")
    r = _site_login(client, PASSWORD)
    assert r.status_code == 200
    assert [e.code for e in r.context["form"].non_field_errors().as_data()] == ["too_many_login_attempts"]
    assert client.get("/django-admin/").status_code == 302


def test_a_member_who_is_not_staff_is_refused(as_user, pilot):
    assert as_user(pilot).get(ADMIN_LOGIN).status_code == 403
