"""Chapter 5: flights, track, KML, aircraft, and the playback page."""

import json

import pytest
from django.core.management import call_command
from django.test import Client
from lxml import etree

from wiflight_sim.models import Flight
from wiflight_sim.services.accounts import aircraft_configure, user_configure
from wiflight_sim.services.flights import flight_record
from wiflight_sim.tests.conftest import login, utc


@pytest.fixture
def flight(aircraft):
    return flight_record(tail="C-ABCD", start=utc(2026, 3, 1, 10), duration=3600)[0]


def test_flight_detail_shape(admin_client, flight):
    root = etree.fromstring(admin_client.get(f"/a/flight/{flight.pk}/").content)
    assert root.tag == "flight" and root.get("id") == str(flight.pk)
    assert root.findtext("start") == "20260301T100000Z"
    assert root.findtext("length") == "3600"
    assert int(root.findtext("airtime")) < int(root.findtext("engine_ontime")) <= 3600
    assert root.findtext("headline") == "local at CYRO"
    assert root.find("aircraft").get("id") and root.findtext("aircraft/tail") == "C-ABCD"
    assert float(root.findtext("max_altitude")) > float(root.findtext("min_altitude"))
    assert 20 < float(root.findtext("max_groundspeed")) < 80  # a club single, not a jet
    events = {e.get("type"): e for e in root.iter("event")}
    assert events["takeoff"].findtext("airport") == "CYRO" and events["landing"].findtext("airport") == "CYRO"
    assert events["takeoff"].findtext("time") < events["landing"].findtext("time")
    assert root.find("crew") is not None


def test_cross_country_headline(admin_client, aircraft):
    flight, _ = flight_record(tail="C-ABCD", start=utc(2026, 3, 2, 10), duration=5400, destination="CYSH")
    assert flight.headline == "CYRO to CYSH"


def test_track_window_is_capped_at_600_seconds(admin_client, flight):
    root = etree.fromstring(admin_client.get(f"/a/flight/{flight.pk}/track?offset=100&length=5000").content)
    ts = [float(p.get("t")) for p in root.iter("point")]
    assert root.get("start") == "20260301T100000Z" and root.get("length") == "3600"
    assert min(ts) >= 100 and max(ts) < 700 and len(ts) >= 140
    point = root.find("point")
    assert set(point.keys()) == {"t", "lat", "lon", "alt", "agl", "gs", "vs", "head", "az", "rpm"}
    assert 0 <= float(point.get("head")) < 6.3  # radians


def test_track_bad_offset_is_400(admin_client, flight):
    assert admin_client.get(f"/a/flight/{flight.pk}/track?offset=abc").status_code == 400


def test_kml(admin_client, flight):
    response = admin_client.get(f"/a/flight/{flight.pk}/google_earth_view")
    assert response["Content-Type"] == "application/vnd.google-earth.kml+xml"
    root = etree.fromstring(response.content)
    coords = root.findtext(".//{http://www.opengis.net/kml/2.2}coordinates").split()
    assert len(coords) == len(flight.track)


def test_index_filters_by_start_and_end(admin_client, aircraft):
    ids = [flight_record(tail="C-ABCD", start=utc(2026, 3, d, 10), duration=1800)[0].pk for d in (1, 2, 3)]
    root = etree.fromstring(admin_client.get("/a/flight/?start=20260302T000000Z&end=20260303T000000Z").content)
    assert root.tag == "list" and [f.get("id") for f in root.findall("flight")] == [str(ids[1])]
    assert root.find("flight/headline").text
    assert len(etree.fromstring(admin_client.get("/a/flight/").content)) == 3
    assert admin_client.get("/a/flight/?start=nonsense").status_code == 400


def test_manager_sees_fleet_end_user_sees_nothing_uncrewed(manager, flight, pilot):
    assert login(manager).get(f"/a/flight/{flight.pk}/").status_code == 200
    pilot_client = login(pilot)
    assert pilot_client.get(f"/a/flight/{flight.pk}/").status_code == 403
    assert len(etree.fromstring(pilot_client.get("/a/flight/").content)) == 0
    assert pilot_client.get(f"/a/flight/{flight.pk}/track").status_code == 403


def test_aircraft_index_and_detail(admin_client, aircraft, foreign_aircraft):
    root = etree.fromstring(admin_client.get("/a/aircraft/").content)
    assert [a.findtext("tail") for a in root.findall("aircraft")] == ["C-ABCD"]
    detail = etree.fromstring(admin_client.get(f"/a/aircraft/{aircraft.pk}/").content)
    assert detail.get("id") == str(aircraft.pk) and detail.findtext("model") == "Cessna 172S"
    assert admin_client.get(f"/a/aircraft/{foreign_aircraft.pk}/").status_code == 403
    assert admin_client.get("/a/aircraft/99999/").status_code == 404


def test_unknown_flight_is_404(admin_client):
    assert admin_client.get("/a/flight/424242/").status_code == 404


def test_flightview_page_draws_svg_without_javascript(admin_client, flight):
    page = admin_client.get(f"/flightview/{flight.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") == 2 and "<polyline" in html and "<script" not in html
    assert "C-ABCD" in html and "takeoff" in html and "local at CYRO" in html


def test_flightview_requires_permission(flight, pilot):
    assert Client().get(f"/flightview/{flight.pk}").status_code == 403
    assert login(pilot).get(f"/flightview/{flight.pk}").status_code == 403


def test_given_track_is_used(admin_client, aircraft):
    track = [{"t": t, "lat": 45.46 + t * 1e-5, "lon": -75.64, "alt": 57 + (200 if 60 <= t <= 500 else 0)} for t in range(0, 601, 5)]
    flight, _ = flight_record(tail="C-ABCD", start=utc(2026, 3, 5, 10), track=track)
    assert flight.length == 600 and flight.takeoff_offset == 60 and flight.landing_offset == 500


def test_sim_flight_command(admin, aircraft, capsys):
    call_command("sim_flight", "--tail", "C-ABCD", "--start", "20260301T100000Z", "--duration", "1800")
    assert Flight.objects.get().length == 1800
    assert "local at CYRO" in capsys.readouterr().out


def test_sim_flight_endpoint(admin_client, aircraft):
    response = Client().post(
        "/sim/flights", json.dumps({"tail": "C-ABCD", "start": "2026-03-01T10:00:00Z", "duration": 1200, "to": "CYOW"}),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["headline"] == "CYRO to CYOW"
    assert Client().post("/sim/flights", {"tail": "C-NOPE", "start": "20260301T100000Z", "duration": "900"}).status_code == 404
    assert Client().post("/sim/flights", {"tail": "C-ABCD", "start": "20260301T100000Z", "duration": "60"}).status_code == 400


def test_commands_configure_accounts(db):
    call_command("sim_user", "chief@club.test", "--role", "fleet_admin", "--password", "x", "--fleet", "Club", "--domain", "club.test")
    call_command("sim_aircraft", "C-GXYZ", "--model", "C152", "--fleet", "Club")
    call_command("sim_notify_profile", "club", "--url", "http://127.0.0.1:1/n", "--hmac-secret", "k")
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    from wiflight_sim.models import Aircraft, NotifyProfile, SimUser

    admin = SimUser.objects.get(username="flightline@demo.flightline.test")
    assert admin.owns_name("x@demo.flightline.test") and admin.check_password("demo-wiflight")
    assert set(Aircraft.objects.filter(fleet=admin.fleet).values_list("tail", flat=True)) == {"C-GDFA", "C-GDFB", "C-FDFC", "C-GDFD", "C-GDFE"}
    demo = NotifyProfile.objects.get(name="flightline-demo")
    assert (demo.url, demo.basic_user, demo.basic_password) == (
        "http://127.0.0.1:8000/wiflight/notify/demo/", "wiflight", "demo-notify-secret",
    )
    assert SimUser.objects.get(username="chief@club.test").owns_name("r@club.test")
    assert aircraft_configure(tail="C-GXYZ", model="C152", fleet_name="Club").fleet.name == "Club"
    assert user_configure(username="chief@club.test", role="fleet_admin").check_password("x")
