"""Malformed or hostile requests get a clear 400, never a 500 and never a redirect."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st
from openid.kvform import kvToDict

from openid_provider.services import identity_url_for
from tests.conftest import client_for

NS = "http://specs.openid.net/auth/2.0"


def checkid(**fields):
    return {"openid.ns": NS, "openid.mode": "checkid_setup", **fields}


@pytest.mark.parametrize("query, text", [
    ({"openid.ns": NS}, "Not a valid OpenID request"),
    ({"openid.ns": NS, "openid.mode": "nonsense"}, "Not a valid OpenID request"),
    ({"openid.ns": "bogus-namespace", "openid.mode": "checkid_setup"}, "Not a valid OpenID request"),
    (checkid(**{"openid.return_to": "http://evil.example/", "openid.realm": "http://good.example/"}),
     "not inside the realm"),
    (checkid(**{"openid.return_to": "not a url"}), "not a valid URL"),
    (checkid(**{"openid.return_to": "http://x.example/", "openid.realm": "http://x.example:notaport/"}),
     "Not a valid OpenID request"),
    (checkid(**{"openid.realm": "http://x.example/"}), "no return address"),
    (checkid(**{"openid.identity": "http://x.example/"}), "Not a valid OpenID request"),
])
def test_bad_checkid_is_a_400_page(openid_settings, pilot, query, text):
    response = client_for(pilot).get("/openid/endpoint/", query)
    assert response.status_code == 400
    assert "Location" not in response
    assert text in response.content.decode()


@pytest.mark.parametrize("mode", ["checkid_setup", "checkid_immediate"])
@pytest.mark.parametrize("post", [False, True])
def test_malformed_request_never_redirects_to_its_return_to(openid_settings, pilot, mode, post):
    # python3-openid would encode this error into a redirect to return_to (an open redirect).
    query = {"openid.ns": NS, "openid.mode": mode, "openid.return_to": "https://evil.com/",
             "openid.realm": "https://evil.com/", "openid.identity": identity_url_for(pilot.user)}
    browser = client_for(pilot)
    response = browser.post("/openid/endpoint/", query) if post else browser.get("/openid/endpoint/", query)
    assert response.status_code == 400
    assert "Location" not in response and "evil.com" not in response.content.decode()


def test_too_broad_realm_is_refused(openid_settings, pilot):
    query = checkid(**{"openid.return_to": "http://www.example.com/r", "openid.realm": "http://*.com/",
                       "openid.identity": identity_url_for(pilot.user),
                       "openid.claimed_id": identity_url_for(pilot.user)})
    response = client_for(pilot).get("/openid/endpoint/", query)
    assert response.status_code == 400
    assert "Location" not in response


def test_bad_direct_request_is_a_kvform_400(openid_settings, db):
    response = Client().post("/openid/endpoint/", {"openid.ns": NS, "openid.mode": "associate",
                                                   "openid.session_type": "DH-SHA1"})
    assert response.status_code == 400
    assert kvToDict(response.content)["mode"] == "error"


def test_check_authentication_with_unknown_handle_is_invalid(openid_settings, db):
    response = Client().post("/openid/endpoint/", {
        "openid.ns": NS, "openid.mode": "check_authentication", "openid.assoc_handle": "{HMAC-SHA1}{0}{x}",
        "openid.signed": "mode,assoc_handle", "openid.sig": "AAAA",
    })
    assert response.status_code == 200
    assert kvToDict(response.content)["is_valid"] == "false"


def test_resume_and_decide_without_a_waiting_request(openid_settings, pilot):
    browser = client_for(pilot)
    assert browser.get("/openid/resume/").status_code == 400
    assert browser.post("/openid/decide/", {"token": "x", "choice": "allow"}).status_code == 400


def test_endpoint_rejects_other_methods(openid_settings, db):
    assert Client().put("/openid/endpoint/").status_code == 405


_openid_keys = st.sampled_from(["openid.ns", "openid.mode", "openid.return_to", "openid.realm", "openid.identity",
                                "openid.claimed_id", "openid.assoc_handle", "openid.session_type",
                                "openid.assoc_type", "openid.dh_consumer_public", "openid.trust_root",
                                "openid.signed", "openid.sig"])
_values = st.one_of(st.sampled_from([NS, "checkid_setup", "checkid_immediate", "associate", "check_authentication",
                                     "http://x.example/", "DH-SHA256", "HMAC-SHA1",
                                     "http://specs.openid.net/auth/2.0/identifier_select"]),
                    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
                            max_size=40))


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(_openid_keys, _values, max_size=8), post=st.booleans())
def test_fuzzed_requests_never_500(openid_settings, pilot, query, post):
    browser = client_for(pilot)
    response = browser.post("/openid/endpoint/", query) if post else browser.get("/openid/endpoint/", query)
    assert response.status_code < 500
