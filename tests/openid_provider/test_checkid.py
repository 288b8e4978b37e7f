"""checkid_setup / checkid_immediate end to end, with python3-openid's Consumer as the RP."""

from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from django.test import Client
from openid.consumer.consumer import CANCEL, FAILURE, SETUP_NEEDED, SUCCESS
from openid.server.server import IDENTIFIER_SELECT

from openid_provider.models import TrustedRealm
from openid_provider.services import identity_url_for
from tests.conftest import PASSWORD, client_for
from tests.openid_provider.relying_party import (
    BASE, ENDPOINT, OTHER_REALM, TRUSTED_RETURN_TO, RelyingParty, is_redirect_to,
)


def test_immediate_signed_in_and_trusted_succeeds(rp, pilot):
    browser = client_for(pilot)
    response = browser.get(rp.begin(identity_url_for(pilot.user), immediate=True))
    assert is_redirect_to(response, TRUSTED_RETURN_TO)
    result = rp.complete(response)
    assert result.status == SUCCESS
    assert result.identity_url == identity_url_for(pilot.user)


def test_immediate_signed_out_is_setup_needed(rp, pilot):
    response = Client().get(rp.begin(identity_url_for(pilot.user), immediate=True))
    assert is_redirect_to(response, TRUSTED_RETURN_TO)
    assert rp.complete(response).status == SETUP_NEEDED


def test_setup_trusted_realm_signed_in_needs_no_page(rp, pilot):
    response = client_for(pilot).get(rp.begin(identity_url_for(pilot.user)))
    assert is_redirect_to(response, TRUSTED_RETURN_TO)
    result = rp.complete(response)
    assert result.status == SUCCESS and result.identity_url == identity_url_for(pilot.user)
    assert parse_qs(urlsplit(response["Location"]).query)["openid.op_endpoint"] == [ENDPOINT]


def test_setup_signed_out_logs_in_then_resumes(rp, pilot):
    browser = Client()
    response = browser.get(rp.begin(identity_url_for(pilot.user)))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fopenid%2Fresume%2F"
    assert "trusted.example" not in response["Location"]
    login = browser.post(response["Location"], {"login": "pilot", "password": PASSWORD})
    assert login.status_code == 302 and login["Location"] == "/openid/resume/"
    resumed = browser.get(login["Location"])
    assert is_redirect_to(resumed, TRUSTED_RETURN_TO)
    assert rp.complete(resumed).status == SUCCESS
    # The pending request is used up: resuming again has nothing to do.
    assert browser.get("/openid/resume/").status_code == 400


def test_identifier_select_answers_with_own_identity(rp, pilot):
    response = client_for(pilot).get(rp.begin(f"{BASE}/openid/xrds/"))
    result = rp.complete(response)
    assert result.status == SUCCESS
    assert result.identity_url == identity_url_for(pilot.user)


def test_someone_elses_identity_is_cancelled(rp, pilot, pilot2):
    response = client_for(pilot).get(rp.begin(identity_url_for(pilot2.user)))
    assert is_redirect_to(response, TRUSTED_RETURN_TO)
    assert "openid.identity" not in response["Location"]
    assert rp.complete(response).status == CANCEL


def test_someone_elses_identity_at_untrusted_realm_is_a_page(other_rp, pilot, pilot2):
    response = client_for(pilot).get(other_rp.begin(identity_url_for(pilot2.user)))
    assert response.status_code == 403
    assert "someone else" in response.content.decode()


def test_someone_elses_identity_immediate_is_setup_needed(rp, pilot, pilot2):
    response = client_for(pilot).get(rp.begin(identity_url_for(pilot2.user), immediate=True))
    assert rp.complete(response).status == SETUP_NEEDED


def _tampered(url: str, **fields) -> str:
    """The relying party's redirect with openid.* arguments replaced, as an attacker would."""
    parts = urlsplit(url)
    query = {**dict(parse_qsl(parts.query)), **{f"openid.{name}": value for name, value in fields.items()}}
    return urlunsplit(parts._replace(query=urlencode(query)))


def _returned(response) -> dict:
    return parse_qs(urlsplit(response["Location"]).query)


@pytest.fixture
def identities(pilot, pilot2):
    return {"own": identity_url_for(pilot.user), "other": identity_url_for(pilot2.user), "select": IDENTIFIER_SELECT}


# The provider used to sign claimed_id=<someone else> as long as identity was the member's own,
# and check_authentication then called it valid: only a relying party that re-runs discovery
# on claimed_id would notice.
@pytest.mark.parametrize("identity, claimed_id", [
    ("own", "other"), ("other", "own"), ("own", "select"), ("select", "other"), ("select", "own"),
])
def test_claimed_id_and_identity_must_both_be_the_members_own(rp, pilot, identities, identity, claimed_id):
    url = _tampered(rp.begin(identities["own"]), identity=identities[identity], claimed_id=identities[claimed_id])
    response = client_for(pilot).get(url)
    assert is_redirect_to(response, TRUSTED_RETURN_TO)
    returned = _returned(response)
    assert returned["openid.mode"] == ["cancel"]
    assert "openid.sig" not in returned and "openid.claimed_id" not in returned
    assert rp.complete(response).status == CANCEL


def test_mixed_identifiers_in_immediate_mode_are_not_signed(rp, pilot, identities):
    url = _tampered(rp.begin(identities["own"], immediate=True), claimed_id=identities["other"])
    returned = _returned(client_for(pilot).get(url))
    assert returned["openid.mode"] == ["setup_needed"]
    assert "openid.sig" not in returned


def test_mixed_identifiers_at_a_realm_the_member_allowed_are_a_page(other_rp, pilot, identities):
    TrustedRealm.objects.create(user=pilot.user, realm=OTHER_REALM)
    url = _tampered(other_rp.begin(identities["own"]), claimed_id=identities["other"])
    response = client_for(pilot).get(url)
    assert response.status_code == 403 and "Location" not in response


def test_stateless_relying_party_uses_check_authentication(fetcher, pilot):
    rp = RelyingParty(stateless=True)
    response = client_for(pilot).get(rp.begin(identity_url_for(pilot.user)))
    result = rp.complete(response)
    assert result.status == SUCCESS
    assert ("POST", "/openid/endpoint/") in fetcher.seen  # check_authentication, no associate
    assert not any(path == "/openid/endpoint/" and m == "GET" for m, path in fetcher.seen)


def test_replayed_response_is_rejected(rp, pilot):
    response = client_for(pilot).get(rp.begin(identity_url_for(pilot.user)))
    assert rp.complete(response).status == SUCCESS
    replay = rp.complete(response)
    assert replay.status == FAILURE
    assert "nonce" in str(replay.message).lower()


def test_stateless_replay_is_rejected_too(fetcher, pilot):
    rp = RelyingParty(stateless=True)
    response = client_for(pilot).get(rp.begin(identity_url_for(pilot.user)))
    assert rp.complete(response).status == SUCCESS
    # The provider invalidates a dumb-mode handle once check_authentication used it.
    assert rp.complete(response).status == FAILURE


def test_long_response_is_a_self_submitting_form_with_its_own_csp(fetcher, pilot):
    return_to = TRUSTED_RETURN_TO + "?state=" + "x" * 2100
    rp = RelyingParty(return_to=return_to)
    response = client_for(pilot).get(rp.begin(identity_url_for(pilot.user)))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "script-src 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "document.forms[0].submit()" in response.content.decode()
    assert rp.complete(response).status == SUCCESS


def test_ordinary_pages_do_not_get_the_inline_script_policy(rp, pilot):
    response = client_for(pilot).get(rp.begin(identity_url_for(pilot.user)))
    assert "Content-Security-Policy" not in response
    assert "Content-Security-Policy" not in client_for(pilot).get("/openid/profile/")
