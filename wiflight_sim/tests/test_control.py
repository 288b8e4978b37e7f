"""/sim/*: faults, stats, request log, reset; and the real server's dropped connections."""

import json
import threading

import pytest
import requests
from django.core.wsgi import get_wsgi_application
from django.test import Client

from wiflight_sim.models import FaultState, Reservation, SimSession, SimUser
from wiflight_sim.server import make_server
from wiflight_sim.tests.conftest import PASSWORD, put, reservation_xml


def set_faults(**changes):
    response = Client().post("/sim/faults", json.dumps(changes), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_unavailable_fault_answers_503_on_api_but_not_on_sim(admin_client):
    set_faults(unavailable=True)
    assert admin_client.get("/a/flight/").status_code == 503
    assert Client().post("/auth/login", {"username": "x", "password": "y"}).status_code == 503
    assert Client().get("/sim/stats").status_code == 200
    set_faults(clear=True)
    assert admin_client.get("/a/flight/").status_code == 200


def test_fail_fraction_one_fails_everything_zero_nothing(admin_client):
    set_faults(fail_fraction=1.0)
    assert {admin_client.get("/a/flight/").status_code for _ in range(5)} == {503}
    set_faults(fail_fraction=0.0)
    assert admin_client.get("/a/flight/").status_code == 200


def test_delay_fault(admin_client):
    import time

    set_faults(delay=0.3)
    began = time.monotonic()
    assert admin_client.get("/a/flight/").status_code == 200
    assert time.monotonic() - began >= 0.3


def test_expire_sessions(admin_client):
    assert set_faults(expire_sessions=True)["sessions_expired"] == SimSession.objects.count() >= 1
    assert admin_client.get("/a/flight/").status_code == 403


def test_bad_fault_is_400(db):
    response = Client().post("/sim/faults", json.dumps({"fail_fraction": 2}), content_type="application/json")
    assert response.status_code == 400
    assert Client().post("/sim/faults", json.dumps({"explode": True}), content_type="application/json").status_code == 400


def test_stats_count_puts_per_reservation_and_request_log(admin_client):
    put(admin_client, "r1@example.com", reservation_xml())
    put(admin_client, "r1@example.com", reservation_xml(end="20260301T120000Z"))
    put(admin_client, "r2@example.com", reservation_xml("r2@example.com"))
    stats = Client().get("/sim/stats").json()
    assert stats["puts"] == {"r1@example.com": 2, "r2@example.com": 1}
    assert stats["puts_ok"] == {"r1@example.com": 2, "r2@example.com": 1}
    assert stats["reservations"] == 2
    log = Client().get("/sim/requests?method=PUT&reservation=r1@example.com").json()["requests"]
    assert [r["status"] for r in log] == [201, 200]
    assert log[0]["body_sha256"] and log[0]["etag"] == '"r1v1"' and log[1]["etag"] == '"r1v2"'
    assert log[0]["user"] == "ops@example.com"


def test_reset_keeps_accounts(admin_client, admin):
    put(admin_client, "r1@example.com", reservation_xml())
    set_faults(unavailable=True)
    assert Client().post("/sim/reset").status_code == 200
    assert not Reservation.objects.exists()
    assert Client().get("/sim/requests").json()["requests"] == []
    assert SimUser.objects.filter(pk=admin.pk).exists()
    assert not FaultState.current().unavailable


def test_control_token(settings, db):
    settings.SIM_CONTROL_TOKEN = "tok"
    assert Client().get("/sim/stats").status_code == 403
    assert Client().get("/sim/stats", headers={"X-Sim-Token": "tok"}).status_code == 200
    settings.SIM_CONTROL_TOKEN = None
    assert Client(REMOTE_ADDR="10.1.2.3").get("/sim/stats").status_code == 403


@pytest.fixture
def live_sim(transactional_db):
    server = make_server("127.0.0.1", 0, get_wsgi_application(), quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_drop_fault_closes_the_connection_without_response(live_sim, admin, aircraft):
    session = requests.Session()
    assert session.post(f"{live_sim}/auth/login", data={"username": admin.username, "password": PASSWORD}).status_code == 200
    set_faults(drop=True)
    with pytest.raises(requests.ConnectionError):
        session.get(f"{live_sim}/a/flight/", timeout=5)
    assert requests.get(f"{live_sim}/sim/stats", timeout=5).json()["requests_by_method_status"]["GET 0"] == 1
    set_faults(drop=False)
    assert session.get(f"{live_sim}/a/flight/", timeout=5).status_code == 200


def test_real_server_handles_concurrent_puts(live_sim, admin, aircraft):
    def worker(i, results):
        s = requests.Session()
        s.post(f"{live_sim}/auth/login", data={"username": admin.username, "password": PASSWORD})
        for j in range(5):
            name = f"c{i}-{j}@example.com"
            r = s.put(f"{live_sim}/a/reservation/{name.replace('@', '%40')}", data=reservation_xml(name), timeout=30)
            results.append(r.status_code)

    results: list[int] = []
    threads = [threading.Thread(target=worker, args=(i, results)) for i in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert results == [201] * 20
    assert Reservation.objects.count() == 20


def _logged_in(username):
    client = Client()
    assert client.post("/auth/login", {"username": username, "password": PASSWORD}).status_code == 200
    return client


def test_an_account_fault_refuses_that_account_only(admin, outsider):
    admin_session, other_session = _logged_in(admin.username), _logged_in(outsider.username)
    state = set_faults(accounts={admin.username: {"refuse": True}})
    assert state["accounts"] == {admin.username: {"refuse": True}}
    assert admin_session.get("/a/flight/").status_code == 403
    assert Client().post("/auth/login", {"username": admin.username, "password": PASSWORD}).status_code == 403
    assert other_session.get("/a/flight/").status_code == 200
    set_faults(accounts={admin.username: None})
    assert admin_session.get("/a/flight/").status_code == 200


def test_an_account_delay_slows_that_account_only(admin, outsider):
    import time

    admin_session, other_session = _logged_in(admin.username), _logged_in(outsider.username)
    set_faults(accounts={admin.username: {"delay": 0.3}})
    began = time.monotonic()
    assert other_session.get("/a/flight/").status_code == 200
    assert time.monotonic() - began < 0.3
    began = time.monotonic()
    assert admin_session.get("/a/flight/").status_code == 200
    assert time.monotonic() - began >= 0.3
    assert set_faults(clear=True)["accounts"] == {}


def test_bad_account_faults_are_400(db):
    for bad in ({"x": {"explode": True}}, {"x": {"refuse": "yes"}}, {"x": {"delay": -1}}, ["x"]):
        response = Client().post("/sim/faults", json.dumps({"accounts": bad}), content_type="application/json")
        assert response.status_code == 400, bad
