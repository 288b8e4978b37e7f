"""Chapter 4.3: /auth/openid_enter against a real in-process OpenID 2.0 provider.

The provider is python3-openid's own Server; the simulator's Consumer reaches it through a
fetcher that routes http://op.test/ to it in process (only the transport is faked).
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from openid import fetchers
from openid.server.server import Server
from openid.store.memstore import MemoryStore

from wiflight_sim.services.accounts import user_configure
from wiflight_sim.services.flights import flight_record
from wiflight_sim.tests.conftest import login, put, reservation_xml, utc

OP = "http://op.test"
ENDPOINT = f"{OP}/endpoint"
IDENTITY = f"{OP}/id/alice"


class Provider(fetchers.HTTPFetcher):
    def __init__(self):
        self.server = Server(MemoryStore(), ENDPOINT)
        self.deny = False

    def fetch(self, url, body=None, headers=None):
        if url.startswith(f"{OP}/id/"):
            html = (
                f'<html><head><link rel="openid2.provider" href="{ENDPOINT}">'
                f'<link rel="openid2.local_id" href="{url}"></head></html>'
            )
            return fetchers.HTTPResponse(url, 200, {"content-type": "text/html"}, html)
        if url == ENDPOINT and body:  # associate, check_authentication
            request = self.server.decodeRequest(dict(parse_qsl(body)))
            web = self.server.encodeResponse(self.server.handleRequest(request))
            return fetchers.HTTPResponse(url, web.code, web.headers, web.body)
        return fetchers.HTTPResponse(url, 404, {}, "not found")

    def approve(self, redirect_url: str) -> str:
        """What the provider's page does when the user says yes (or no): the return URL."""
        request = self.server.decodeRequest(dict(parse_qsl(urlsplit(redirect_url).query)))
        assert request.mode == "checkid_setup"
        answer = request.answer(not self.deny, identity=request.identity if not self.deny else None)
        return self.server.encodeResponse(answer).headers["location"]


@pytest.fixture
def provider(settings):
    settings.SIM_BASE_URL = "http://sim.test"
    fake = Provider()
    previous = fetchers.getDefaultFetcher()
    fetchers.setDefaultFetcher(fake, wrap_exceptions=False)
    yield fake
    fetchers.setDefaultFetcher(previous)


@pytest.fixture
def alice(db, admin):
    return user_configure(username="alice@example.com", fullname="Alice", openids=(IDENTITY,))


def _enter(client, url="/flightview/1", openid=IDENTITY):
    return client.get("/auth/openid_enter?" + urlencode({"openid": openid, "url": url}))


def _return(client, location):
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == "http://sim.test"
    return client.get(parts.path + "?" + parts.query)


def test_full_openid_login_redirects_and_sets_session(provider, alice, admin_client):
    put(admin_client, "r1@example.com", reservation_xml(crew='<crew><user name="alice@example.com"/></crew>'))
    flight, _ = flight_record(tail="C-ABCD", start=utc(2026, 3, 1, 10), duration=3600)
    client = Client()
    enter = _enter(client, url=f"/flightview/{flight.pk}")
    assert enter.status_code == 302 and enter["Location"].startswith(ENDPOINT)
    done = _return(client, provider.approve(enter["Location"]))
    assert done.status_code == 302 and done["Location"] == f"/flightview/{flight.pk}"
    assert "gasn-session" in done.cookies
    page = client.get(done["Location"])
    assert page.status_code == 200 and b"<svg" in page.content


def test_replayed_assertion_is_refused(provider, alice):
    client = Client()
    location = provider.approve(_enter(client)["Location"])
    assert _return(client, location).status_code == 302
    assert _return(Client(), location).status_code == 403


def test_cancel_is_403(provider, alice):
    provider.deny = True
    client = Client()
    done = _return(client, provider.approve(_enter(client)["Location"]))
    assert done.status_code == 403 and "gasn-session" not in done.cookies


def test_unknown_identity_is_403(provider, db):
    client = Client()
    done = _return(client, provider.approve(_enter(client, openid=f"{OP}/id/mallory")["Location"]))
    assert done.status_code == 403
    assert done.reason_phrase == "No account for this OpenID"


def test_tampered_assertion_is_refused(provider, alice):
    client = Client()
    location = provider.approve(_enter(client)["Location"])
    assert _return(client, location.replace("alice", "bob")).status_code == 403


@pytest.mark.parametrize("url", ["//evil.test/x", "https://evil.test/", "flightview/1", "/\\evil.test", "", "javascript:alert(1)"])
def test_url_must_be_a_local_path(provider, alice, url):
    assert _enter(Client(), url=url).status_code == 400


def test_already_signed_in_redirects_straight_away(provider, alice):
    client = login(user_configure(username="bob@example.com", password="pw-for-tests"))
    response = _enter(client, url="/flightview/7")
    assert response.status_code == 302 and response["Location"] == "/flightview/7"


def test_discovery_failure_is_400(provider, db):
    assert _enter(Client(), openid="http://op.test/nothing/here").status_code == 400
