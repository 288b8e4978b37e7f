"""The Wi-Flight client against the simulator, over real HTTP."""

from datetime import datetime, timedelta, timezone

import pytest

from integrations.wiflight.client import (
    WiFlightClient, WiFlightError, WiFlightUnavailable, parse_retry_after,
)
from integrations.wiflight.xml import Reservation, build_reservation_xml, parse_reservation_xml
from tests.tcp_servers import closed_port, tcp_server
from tests.wiflight.conftest import FLEET_ADMIN, FLEET_PASSWORD

START = datetime(2030, 6, 10, 7, tzinfo=timezone.utc)


def _doc(name="b-1@tac.example.com", tail="F-GABC", hours=2):
    return build_reservation_xml(Reservation(name=name, domain="flightline-test", tail=tail, start=START,
                                             end=START + timedelta(hours=hours)))


@pytest.fixture
def client(sim):
    c = WiFlightClient(sim.base_url, FLEET_ADMIN, FLEET_PASSWORD, timeout=(2, 5))
    yield c
    c.session.close()


def test_put_creates_then_updates_and_get_returns_it(client):
    assert client.put_reservation("b-1@tac.example.com", _doc()).created is True
    result = client.put_reservation("b-1@tac.example.com", _doc(hours=3))
    assert result.created is False and result.etag
    body, etag = client.get_reservation("b-1@tac.example.com")
    assert parse_reservation_xml(body).end == START + timedelta(hours=3)
    assert etag == result.etag


def test_if_match_guards_against_someone_elses_change(client):
    first = client.put_reservation("b-1@tac.example.com", _doc())
    client.put_reservation("b-1@tac.example.com", _doc(hours=4))  # someone else's edit
    with pytest.raises(WiFlightError) as exc:
        client.put_reservation("b-1@tac.example.com", _doc(hours=5), if_match=first.etag)
    assert exc.value.status == 412 and not exc.value.permanent


def test_delete_and_404_counts_as_done(client):
    client.put_reservation("b-1@tac.example.com", _doc())
    assert client.delete_reservation("b-1@tac.example.com") is True
    assert client.delete_reservation("b-1@tac.example.com") is False


def test_unknown_aircraft_is_a_permanent_refusal_with_its_reason(client):
    with pytest.raises(WiFlightError) as exc:
        client.put_reservation("b-2@tac.example.com", _doc(name="b-2@tac.example.com", tail="N00000"))
    assert exc.value.status == 403 and exc.value.reason == "Cannot reserve this aircraft" and exc.value.permanent


def test_bad_password_is_refused(sim):
    client = WiFlightClient(sim.base_url, FLEET_ADMIN, "wrong")
    with pytest.raises(WiFlightError) as exc:
        client.put_reservation("b-1@tac.example.com", _doc())
    assert exc.value.status == 403


def test_expired_session_logs_in_again_once(client, sim):
    client.put_reservation("b-1@tac.example.com", _doc())
    sim.faults(expire_sessions=True)
    assert client.put_reservation("b-1@tac.example.com", _doc(hours=3)).created is False
    logins = [r for r in sim.control("GET", "requests")["requests"] if r["path"] == "/auth/login"]
    assert len(logins) == 2


@pytest.mark.parametrize("logged_in", [False, True])
def test_outage_is_a_retryable_error_that_reads_the_same_logged_in_or_not(client, sim, logged_in):
    if logged_in:
        client.login()
    sim.faults(unavailable=True)
    with pytest.raises(WiFlightUnavailable) as exc:
        client.put_reservation("b-1@tac.example.com", _doc())
    assert exc.value.code == "wiflight_unreachable" and not exc.value.permanent


def test_dropped_connection_is_unavailable(client, sim):
    sim.faults(drop=True)
    with pytest.raises(WiFlightUnavailable):
        client.put_reservation("b-1@tac.example.com", _doc())


def test_slow_answer_times_out(sim):
    client = WiFlightClient(sim.base_url, FLEET_ADMIN, FLEET_PASSWORD, timeout=(1, 0.5))
    sim.faults(delay=1.5)
    with pytest.raises(WiFlightUnavailable) as exc:
        client.login()
    assert exc.value.code == "wiflight_unreachable" and not exc.value.permanent
    # The simulator still answers the abandoned login a second later; wait for it, or it lands
    # in the next test's request log.
    import time

    deadline = time.monotonic() + 10
    while not any(r["path"] == "/auth/login" for r in sim.control("GET", "requests")["requests"]):
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_names_are_percent_encoded(client, sim):
    assert client.url("a", "reservation", "b-1@tac.example.com").endswith("/a/reservation/b-1%40tac.example.com")
    client.put_reservation("b-1@tac.example.com", _doc())
    assert client.get_reservation("b-1@tac.example.com")[0]


def test_password_never_in_repr(client):
    assert FLEET_PASSWORD not in repr(client)


@pytest.mark.parametrize("value,expected", [("120", 120.0), (None, None), ("soon", None),
                                            ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)])
def test_retry_after(value, expected):
    assert parse_retry_after(value) == expected


def test_logout_ends_the_session_and_the_next_request_logs_in_first(client, sim):
    client.put_reservation("b-1@tac.example.com", _doc())
    old_cookie = client.session.cookies.get("gasn-session")
    assert old_cookie
    client.logout()
    assert "gasn-session" not in client.session.cookies
    log = sim.control("GET", "requests")["requests"]
    assert [r["path"] for r in log][-1] == "/auth/logout"
    # Wi-Flight forgot the session: the old cookie no longer opens anything.
    import requests

    stale = requests.get(client.url("a", "reservation", "b-1@tac.example.com"), cookies={"gasn-session": old_cookie},
                         timeout=5)
    assert stale.status_code in (401, 403)
    since = sim.control("GET", "requests")["requests"][-1]["id"]
    body, _ = client.get_reservation("b-1@tac.example.com")
    assert parse_reservation_xml(body).tail == "F-GABC"
    # Logged in again before asking, not after a refusal.
    assert [(r["method"], r["path"], r["status"]) for r in _requests_after(sim, since)] == [
        ("POST", "/auth/login", 200), ("GET", "/a/reservation/b-1@tac.example.com", 200)]


def test_logout_without_a_session_sends_nothing(client, sim):
    client.logout()
    assert sim.control("GET", "requests")["requests"] == []


def test_client_for_keeps_one_session_per_club_until_the_credentials_change(sim):
    from types import SimpleNamespace

    from integrations.wiflight.client import _clients, client_for

    _clients.clear()
    conn = SimpleNamespace(organization_id=41, base_url=sim.base_url, username=FLEET_ADMIN,
                           password_encrypted="v1", password=FLEET_PASSWORD)
    first = client_for(conn)
    assert client_for(conn) is first
    assert client_for(SimpleNamespace(**{**vars(conn), "password_encrypted": "v2"})) is not first
    _clients.clear()


def test_logout_forgets_the_session_even_when_wiflight_does_not_answer_it(client, sim):
    client.put_reservation("b-1@tac.example.com", _doc())
    sim.faults(unavailable=True)
    client.logout()
    assert "gasn-session" not in client.session.cookies
    sim.faults(clear=True)
    since = sim.control("GET", "requests")["requests"][-1]["id"]
    client.get_reservation("b-1@tac.example.com")
    seen = [r["path"] for r in _requests_after(sim, since)]
    assert seen[0] == "/auth/login" and seen[-1] == "/a/reservation/b-1@tac.example.com"


def _requests_after(sim, since: int) -> list[dict]:
    # What the client sent after the logout (the logout request itself left out).
    return [r for r in sim.control("GET", f"requests?since={since}")["requests"] if r["path"] != "/auth/logout"]


NOT_WIFLIGHT = ["closed", "http_404", "http_200", "http_500", "http_redirect", "not_http", "silent"]


def _outcome_at(kind: str) -> tuple:
    """What a club admin would learn from pointing the connection at this kind of port."""
    def attempt(port):
        client = WiFlightClient(f"http://127.0.0.1:{port}", FLEET_ADMIN, FLEET_PASSWORD, timeout=(1, 0.5))
        with pytest.raises(WiFlightError) as exc:
            client.put_reservation("b-1@tac.example.com", _doc())
        e = exc.value
        return type(e).__name__, str(e).replace(str(port), "PORT"), e.permanent, getattr(e, "code", None)

    if kind == "closed":
        return attempt(closed_port())
    with tcp_server(kind) as server:
        return attempt(server.port)


def test_a_closed_port_and_an_open_one_that_is_not_wiflight_give_the_same_error():
    # Otherwise the connection settings are a port scanner: the queue page shows the error.
    outcomes = {kind: _outcome_at(kind) for kind in NOT_WIFLIGHT}
    assert len(set(outcomes.values())) == 1, outcomes
    kind, message, permanent, code = outcomes["closed"]
    assert (kind, permanent, code) == ("WiFlightUnavailable", False, "wiflight_unreachable")
    assert message.startswith("Could not reach Wi-Flight at 127.0.0.1:PORT")


def test_an_address_flightline_may_not_connect_to_is_refused_before_anything_is_sent(sim, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    client = WiFlightClient(sim.base_url, FLEET_ADMIN, FLEET_PASSWORD)
    with pytest.raises(WiFlightError) as exc:
        client.put_reservation("b-1@tac.example.com", _doc())
    assert exc.value.code == "outbound_address_refused" and exc.value.permanent
    assert sim.control("GET", "requests")["requests"] == []


def test_the_client_uses_the_one_outbound_session():
    from requests_hardened import HTTPSession

    assert isinstance(WiFlightClient("https://www.wi-flight.net", "u", "p").session, HTTPSession)
