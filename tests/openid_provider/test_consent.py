"""Realms outside OPENID_TRUSTED_REALMS: consent page, remembered choice, blocking."""

import pytest
from django.test import Client
from openid.consumer.consumer import CANCEL, SETUP_NEEDED, SUCCESS
from openid.server.server import IDENTIFIER_SELECT

from openid_provider.models import TrustedRealm
from openid_provider.services import identity_url_for
from tests.conftest import client_for
from tests.openid_provider.relying_party import OTHER_REALM, OTHER_RETURN_TO, RelyingParty, is_redirect_to


def _consent_token(response) -> str:
    html = response.content.decode()
    return html.split('name="token" value="', 1)[1].split('"', 1)[0]


def test_untrusted_realm_gets_a_consent_page_not_a_redirect(other_rp, pilot):
    response = client_for(pilot).get(other_rp.begin(identity_url_for(pilot.user)))
    assert response.status_code == 200
    html = response.content.decode()
    assert OTHER_REALM in html and "csrfmiddlewaretoken" in html
    assert "Location" not in response


def test_allow_redirects_and_is_remembered(other_rp, pilot):
    browser = client_for(pilot)
    page = browser.get(other_rp.begin(identity_url_for(pilot.user)))
    response = browser.post("/openid/decide/", {"token": _consent_token(page), "choice": "allow"})
    assert is_redirect_to(response, OTHER_RETURN_TO)
    assert other_rp.complete(response).status == SUCCESS
    assert TrustedRealm.objects.filter(user=pilot.user, realm=OTHER_REALM).exists()
    # Next time: no page, also in immediate mode.
    again = browser.get(other_rp.begin(identity_url_for(pilot.user), immediate=True))
    assert other_rp.complete(again).status == SUCCESS


def test_consent_is_per_user(other_rp, pilot, pilot2):
    TrustedRealm.objects.create(user=pilot.user, realm=OTHER_REALM)
    response = client_for(pilot2).get(other_rp.begin(identity_url_for(pilot2.user)))
    assert response.status_code == 200 and "Allow and continue" in response.content.decode()


def test_deny_sends_cancel_and_remembers_nothing(other_rp, pilot):
    browser = client_for(pilot)
    page = browser.get(other_rp.begin(identity_url_for(pilot.user)))
    response = browser.post("/openid/decide/", {"token": _consent_token(page), "choice": "deny"})
    assert other_rp.complete(response).status == CANCEL
    assert not TrustedRealm.objects.exists()


def test_decision_needs_the_token_of_the_shown_request(other_rp, pilot):
    browser = client_for(pilot)
    browser.get(other_rp.begin(identity_url_for(pilot.user)))
    response = browser.post("/openid/decide/", {"token": "forged", "choice": "allow"})
    assert response.status_code == 400
    assert not TrustedRealm.objects.exists()


def test_decision_is_csrf_protected(other_rp, pilot):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(pilot.user)
    page = browser.get(other_rp.begin(identity_url_for(pilot.user)))
    response = browser.post("/openid/decide/", {"token": _consent_token(page), "choice": "allow"})
    assert response.status_code == 403
    assert not TrustedRealm.objects.exists()


EVIL = "https://evil.com/"


@pytest.fixture
def evil_rp(fetcher):
    return RelyingParty(realm=EVIL, return_to=EVIL)


def _is_refusal_page(response) -> bool:
    return (response.status_code == 403 and "Location" not in response
            and "openid_provider/error.html" in [template.name for template in response.templates])


# checkid_immediate used to answer setup_needed to any return_to: an open redirect.
@pytest.mark.parametrize("who", ["member", "signed_out", "someone_else"])
def test_immediate_at_an_untrusted_realm_is_a_page_not_a_redirect(evil_rp, pilot, pilot2, who):
    browser = Client() if who == "signed_out" else client_for(pilot)
    asked_for = pilot2 if who == "someone_else" else pilot
    response = browser.get(evil_rp.begin(identity_url_for(asked_for.user), immediate=True))
    assert _is_refusal_page(response)
    assert "Nothing was sent" in response.content.decode()


@pytest.mark.parametrize("query", [
    {"openid.mode": "checkid_immediate", "openid.return_to": EVIL, "openid.trust_root": EVIL},  # OpenID 1
    {"openid.ns": "http://specs.openid.net/auth/2.0", "openid.mode": "checkid_immediate",
     "openid.return_to": EVIL, "openid.realm": EVIL,
     "openid.identity": IDENTIFIER_SELECT, "openid.claimed_id": IDENTIFIER_SELECT},
])
def test_handmade_immediate_requests_from_an_untrusted_realm_are_a_page(openid_settings, pilot, query):
    query = {"openid.identity": identity_url_for(pilot.user), **query}
    for browser in (Client(), client_for(pilot)):
        assert _is_refusal_page(browser.get("/openid/endpoint/", query))


def test_immediate_at_a_realm_the_member_allowed_still_redirects(evil_rp, pilot, pilot2):
    TrustedRealm.objects.create(user=pilot.user, realm=EVIL)
    browser = client_for(pilot)
    response = browser.get(evil_rp.begin(identity_url_for(pilot.user), immediate=True))
    assert is_redirect_to(response, EVIL) and evil_rp.complete(response).status == SUCCESS
    response = browser.get(evil_rp.begin(identity_url_for(pilot2.user), immediate=True))
    assert is_redirect_to(response, EVIL) and evil_rp.complete(response).status == SETUP_NEEDED


def test_immediate_at_an_untrusted_realm_remembers_nothing(other_rp, pilot):
    response = client_for(pilot).get(other_rp.begin(identity_url_for(pilot.user), immediate=True))
    assert _is_refusal_page(response)
    assert not TrustedRealm.objects.exists()


def test_signed_out_untrusted_realm_asks_after_sign_in(other_rp, pilot):
    browser = Client()
    response = browser.get(other_rp.begin(identity_url_for(pilot.user)))
    assert response["Location"].startswith("/accounts/login/")
    browser.force_login(pilot.user)
    page = browser.get("/openid/resume/")
    assert page.status_code == 200 and OTHER_REALM in page.content.decode()


def test_blocked_setting_refuses_untrusted_realms_without_consent(other_rp, rp, pilot, settings):
    settings.OPENID_BLOCK_UNTRUSTED_REALMS = True
    browser = client_for(pilot)
    for immediate in (False, True):
        response = browser.get(other_rp.begin(identity_url_for(pilot.user), immediate=immediate))
        assert response.status_code == 403
        assert "Allow and continue" not in response.content.decode()
    # Trusted realms keep working.
    assert rp.complete(browser.get(rp.begin(identity_url_for(pilot.user)))).status == SUCCESS


def test_blocked_setting_also_ignores_earlier_consent(other_rp, pilot, settings):
    TrustedRealm.objects.create(user=pilot.user, realm=OTHER_REALM)
    settings.OPENID_BLOCK_UNTRUSTED_REALMS = True
    response = client_for(pilot).get(other_rp.begin(identity_url_for(pilot.user)))
    assert response.status_code == 403


def test_ip_address_realm_is_sane_but_wildcards_are_not():
    from openid_provider.realms import is_sane

    assert is_sane("http://127.0.0.1:8001/")
    assert is_sane("https://wiflight.example.org/")
    assert not is_sane("http://*.com/")
