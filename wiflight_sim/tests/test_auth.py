"""Chapter 4: /auth/login and /auth/logout."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from wiflight_sim.models import SimSession
from wiflight_sim.tests.conftest import PASSWORD, login


def test_login_sets_gasn_session_cookie_with_default_week(admin):
    client = Client()
    response = client.post("/auth/login", {"username": admin.username, "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.cookies["gasn-session"]
    assert cookie["max-age"] == 7 * 24 * 3600
    assert cookie["httponly"]
    session = SimSession.objects.get()
    assert abs((session.expires_at - timezone.now()) - timedelta(days=7)) < timedelta(seconds=30)
    assert session.token_hash != cookie.value  # only the hash is stored


def test_login_honours_expires(admin):
    client = Client()
    response = client.post("/auth/login", {"username": admin.username, "password": PASSWORD, "expires": "300"})
    assert response.cookies["gasn-session"]["max-age"] == 300


def test_bad_login_is_403(admin):
    response = Client().post("/auth/login", {"username": admin.username, "password": "wrong"})
    assert response.status_code == 403
    assert "gasn-session" not in response.cookies
    assert Client().post("/auth/login", {"username": "nobody@x", "password": "x"}).status_code == 403


def test_bad_expires_is_400(admin):
    response = Client().post("/auth/login", {"username": admin.username, "password": PASSWORD, "expires": "soon"})
    assert response.status_code == 400


def test_get_on_login_and_logout_is_405_with_allow_post(db):
    for path in ("/auth/login", "/auth/logout"):
        response = Client().get(path)
        assert response.status_code == 405
        assert response["Allow"] == "POST"


def test_missing_session_is_403(db):
    response = Client().get("/a/flight/")
    assert response.status_code == 403
    assert response.reason_phrase == "Login required"


def test_expired_session_is_403(admin):
    client = login(admin, expires=60)
    assert client.get("/a/flight/").status_code == 200
    SimSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/a/flight/").status_code == 403


def test_logout_ends_the_session(admin):
    client = login(admin)
    assert client.post("/auth/logout").status_code == 200
    assert SimSession.objects.count() == 0
    client.cookies["gasn-session"] = "anything"
    assert client.get("/a/flight/").status_code == 403


def test_no_cookie_name_collides_with_the_portal(settings):
    names = {settings.SIM_SESSION_COOKIE, settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    assert not names & {"flightline_session", "flightline_csrftoken", "sessionid", "csrftoken"}
