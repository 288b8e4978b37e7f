"""The Wi-Flight client against the simulator, over real HTTP."""

from datetime import datetime, timedelta, timezone

import pytest

from integrations.wiflight.client import (
    WiFlightClient, WiFlightError, WiFlightUnavailable, parse_retry_after,
)
from integrations.wiflight.xml import Reservation, build_reservation_xml, parse_reservation_xml
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


def test_outage_is_a_retryable_error(client, sim):
    sim.faults(unavailable=True)
    with pytest.raises(WiFlightError) as exc:
        client.put_reservation("b-1@tac.example.com", _doc())
    assert exc.value.status == 503 and not exc.value.permanent


def test_dropped_connection_is_unavailable(client, sim):
    sim.faults(drop=True)
    with pytest.raises(WiFlightUnavailable):
        client.put_reservation("b-1@tac.example.com", _doc())


def test_slow_answer_times_out(sim):
    client = WiFlightClient(sim.base_url, FLEET_ADMIN, FLEET_PASSWORD, timeout=(1, 0.5))
    sim.faults(delay=1.5)
    with pytest.raises(WiFlightUnavailable, match="timed out"):
        client.login()


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
