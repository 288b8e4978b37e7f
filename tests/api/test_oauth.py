"""OAuth 2.0 for applications acting as a member: authorization code with PKCE (S256 only),
exact redirect URIs, refresh rotation with reuse protection; a token acts within the
member's roles in the application's club; members withdraw, admins register."""

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from api.oauth_apps import oauth_app_register
from clubs.services import member_set_active
from core.errors import Invalid
from tests.api.conftest import ApiClient, base
from tests.conftest import client_for

REDIRECT = "https://logbook.example.com/callback"


@pytest.fixture
def app(admin):
    app, _ = oauth_app_register(actor=admin, name="Logbook", redirect_uris=[REDIRECT], confidential=False)
    return app


def _pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _authorize(browser: Client, app, *, challenge, method="S256", redirect=REDIRECT, scope="read write"):
    params = {"response_type": "code", "client_id": app.client_id, "redirect_uri": redirect, "scope": scope,
              "state": "xyz", "code_challenge": challenge, "code_challenge_method": method}
    return browser.get(reverse("oauth2_provider:authorize"), params), params


def _code(browser, app, challenge):
    page, params = _authorize(browser, app, challenge=challenge)
    assert page.status_code == 200, page.content
    assert "Authorize Logbook?" in page.content.decode()
    answer = browser.post(reverse("oauth2_provider:authorize"), {**params, "allow": "Authorize"})
    assert answer.status_code == 302
    location = urlsplit(answer["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def _token(app, **data):
    response = Client().post(reverse("oauth2_provider:token"), {"client_id": app.client_id, **data})
    return response


def _tokens(pilot, app):
    verifier, challenge = _pkce()
    code = _code(client_for(pilot), app, challenge)
    response = _token(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_member_authorizes_and_the_app_acts_within_their_role(app, club, pilot, book, aircraft, pilot2):
    mine = book(aircraft, *_times(9), [(pilot, "pic")])
    book(aircraft, *_times(12), [(pilot2, "pic")])
    tokens = _tokens(pilot, app)
    api = ApiClient(tokens["access_token"])
    body = api.get(f"{base(club)}/bookings").json()
    assert [b["id"] for b in body["data"]] == [str(mine.pk)]  # a pilot sees their own bookings
    members = api.get(f"{base(club)}/members")
    assert (members.status_code, members.json()["error"]["code"]) == (403, "not_allowed")
    created = api.post(f"{base(club)}/flight-logs", {"date": "2024-01-15", "aircraft": "N12345", "duration": 1.5})
    assert created.status_code == 201 and created.json()["data"]["attributes"]["member_id"] == str(pilot.pk)


def _times(hour):
    from tests.conftest import at

    return at(10, hour), at(10, hour + 2)


def test_a_read_token_cannot_write(app, club, pilot):
    verifier, challenge = _pkce()
    browser = client_for(pilot)
    page, params = _authorize(browser, app, challenge=challenge, scope="read")
    code = parse_qs(urlsplit(browser.post(reverse("oauth2_provider:authorize"),
                                          {**params, "allow": "Authorize"})["Location"]).query)["code"][0]
    tokens = _token(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                    code_verifier=verifier).json()
    response = ApiClient(tokens["access_token"]).post(f"{base(club)}/flight-logs", {"date": "2024-01-15",
                                                                                      "aircraft": "N1", "duration": 1})
    assert (response.status_code, response.json()["error"]["code"]) == (403, "insufficient_scope")


def test_pkce_is_required_and_plain_is_refused(app, pilot):
    browser = client_for(pilot)
    without = browser.get(reverse("oauth2_provider:authorize"), {"response_type": "code", "client_id": app.client_id,
                                                                  "redirect_uri": REDIRECT, "scope": "read"})
    assert "challenge" in (without.get("Location", "") + without.content.decode()).lower()
    assert "code=" not in without.get("Location", "")
    plain, _ = _authorize(browser, app, challenge="a" * 43, method="plain")
    assert "code=" not in plain.get("Location", "") and plain.status_code in (200, 302, 400)
    assert "plain" in (plain.get("Location", "") + plain.content.decode())


def test_a_wrong_verifier_gets_no_token(app, pilot):
    verifier, challenge = _pkce()
    code = _code(client_for(pilot), app, challenge)
    response = _token(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                      code_verifier=_pkce()[0])
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_redirect_uris_match_exactly(app, pilot):
    _, challenge = _pkce()
    page, _ = _authorize(client_for(pilot), app, challenge=challenge, redirect=REDIRECT + "/../evil")
    assert page.status_code in (200, 400) and "code=" not in page.get("Location", "")
    assert "Authorize Logbook?" not in page.content.decode()


def test_refresh_rotates_and_reusing_an_old_refresh_token_kills_the_family(app, club, pilot):
    first = _tokens(pilot, app)
    second = _token(app, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert ApiClient(second["access_token"]).get(base(club)).status_code == 200
    replay = _token(app, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert replay.status_code == 400
    # Reuse protection: the stolen-and-replayed family is revoked, the newest token too.
    assert _token(app, grant_type="refresh_token", refresh_token=second["refresh_token"]).status_code == 400


def test_only_members_of_the_apps_club_may_authorize(app, outsider):
    _, challenge = _pkce()
    page, _ = _authorize(client_for(outsider), app, challenge=challenge)
    assert page.status_code == 403 and "not an active member" in page.content.decode()


def test_a_deactivated_member_s_token_acts_for_no_one(app, club, admin, pilot):
    tokens = _tokens(pilot, app)
    member_set_active(membership=pilot, actor=admin, active=False)
    assert ApiClient(tokens["access_token"]).get(base(club)).status_code == 401


def test_members_see_and_withdraw_what_they_authorized(app, club, pilot):
    tokens = _tokens(pilot, app)
    browser = client_for(pilot)
    assert reverse("authorized_app_revoke", args=[club.slug, app.pk]) in browser.get(
        reverse("authorized_apps", args=[club.slug])).content.decode()
    assert browser.post(reverse("authorized_app_revoke", args=[club.slug, app.pk])).status_code == 302
    assert ApiClient(tokens["access_token"]).get(base(club)).status_code == 401
    assert _token(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).status_code == 400
    revoke_url = reverse("authorized_app_revoke", args=[club.slug, app.pk])
    assert revoke_url not in browser.get(reverse("authorized_apps", args=[club.slug])).content.decode()


def test_admins_register_apps_in_the_browser_and_others_cannot(admin, club, pilot):
    page = client_for(admin).post(reverse("oauth_apps", args=[club.slug]), {
        "name": "Website", "redirect_uris": "https://club.example.com/cb", "confidential": "on"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert re.search(r'<code id="client-secret">[^<]{20,}</code>', page.content.decode())
    from api.models import OAuthApplication

    stored = OAuthApplication.objects.get(name="Website")
    secret = re.search(r'<code id="client-secret">([^<]+)</code>', page.content.decode()).group(1)
    assert stored.client_secret != secret  # hashed
    assert client_for(pilot).get(reverse("oauth_apps", args=[club.slug])).status_code == 404


@pytest.mark.parametrize("uri", ["https://example.com/*", "https://example.com/cb#frag", "ftp://example.com/",
                                 "not a uri", ""])
def test_redirect_uris_must_be_exact(admin, uri):
    with pytest.raises(Invalid) as refused:
        oauth_app_register(actor=admin, name="Bad", redirect_uris=[uri], confidential=False)
    assert refused.value.field == "redirect_uris"
