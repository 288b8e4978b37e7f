"""The flight page as a pilot reads it: feet and knots (or metres and km/h, a club setting),
event names in words, the track for the map as JSON with the SVG plan as its fallback, and
pictures that scale to a phone's width."""

import json
import re

import pytest
from django.urls import reverse

from flights.event_names import event_name
from flights.models import FlightTrack
from flights.pictures import track_path, track_picture
from flights.units import Units, units_for
from tests.conftest import at, client_for


def test_feet_and_knots_by_default(club):
    units = units_for(club)
    assert units == Units("ft", "kt")
    assert units.altitude_of(304.8) == 1000
    assert units.altitude_of(0) == 0
    assert units.speed_of(51.4444) == 100  # 100 kt


def test_metres_and_kilometres_per_hour_when_the_club_says_so(club):
    club.altitude_unit = "m"
    units = units_for(club)
    assert units == Units("m", "km/h")
    assert units.altitude_of(304.8) == 305
    assert units.speed_of(50) == 180


def test_event_names_are_words():
    assert [event_name(k) for k in ("engine_start", "takeoff", "landing", "engine_stop")] == [
        "Engine start", "Takeoff", "Landing", "Engine stop"]
    assert event_name("touch_and_go") == "Touch and go"
    assert event_name("") == "Event"


def test_the_map_path_is_lat_lon_pairs_thinned():
    points = [[t, 48.0 + t / 1e4, 2.0 + t / 1e4, 100, 0, 40] for t in range(5000)]
    path = track_path(points, max_vertices=1000)
    assert path[0] == [48.0, 2.0] and path[-1] == [round(48.0 + 4999 / 1e4, 6), round(2.0 + 4999 / 1e4, 6)]
    assert len(path) <= 1001
    assert track_path(points[:1]) == []


def test_the_picture_keeps_the_top_ground_speed():
    points = [[0, 48.0, 2.0, 100, 0, 10], [60, 48.1, 2.1, 200, 0, 55.5], [120, 48.2, 2.2, 150, 0, 20]]
    picture = track_picture(points)
    assert (picture.min_alt, picture.max_alt, picture.max_speed) == (100, 200, 55.5)


@pytest.fixture
def flight(club, booking, detected):
    from tests.wiflight.flight_fixtures import reservation_for

    f = detected(club, "42", at(10, 9, 5), reservation_name=reservation_for(booking))
    # 304.8 m .. 609.6 m (1000 .. 2000 ft); 51.4444 m/s top speed (100 kt).
    points = [[t, 48.75 + t / 36000, 2.1 + t / 36000, 304.8 + t * 304.8 / 3600, 0, 30 + t * 21.4444 / 3600]
              for t in range(0, 3601, 60)]
    FlightTrack.objects.create(flight=f, points=points)
    return f


def _page(membership, flight) -> str:
    response = client_for(membership).get(reverse("flights:flight", args=[flight.organization.slug, flight.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _json_script(html: str, element_id: str):
    return json.loads(re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)[1])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_reads_feet_and_knots(pilot, flight):
    text = _text(_page(pilot, flight))
    assert "Altitude 1000–2000 ft over time; top ground speed 100 kt" in text
    assert " m over time" not in text


def test_the_page_reads_metres_when_the_club_chose_them(club, pilot, flight):
    club.altitude_unit = "m"
    club.save(update_fields=["altitude_unit"])
    text = _text(_page(pilot, flight))
    assert "Altitude 305–610 m over time; top ground speed 185 km/h" in text


def test_events_are_named_in_words(pilot, flight):
    text = _text(_page(pilot, flight))
    assert "Engine start" in text and "Takeoff at" in text and "Engine stop" in text
    assert "engine_start" not in text and "engine_stop" not in text


def test_the_track_is_given_to_the_map_as_json_with_the_tile_settings(settings, pilot, flight):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Example"
    html = _page(pilot, flight)
    path = _json_script(html, "flight-track")
    assert path[0] == [48.75, 2.1] and len(path) == 61
    tiles = _json_script(html, "flight-map-tiles")
    assert tiles == {"url": "https://tiles.example/{z}/{x}/{y}.png", "attribution": "© Example"}
    assert 'id="flight-map"' in html and "/static/js/flight_map.js" in html and "leaflet.js" in html
    assert 'class="track-plan"' in html  # the fallback is always there


def test_without_a_tile_url_there_is_only_the_plan(settings, pilot, flight):
    settings.MAP_TILE_URL = ""
    html = _page(pilot, flight)
    assert 'class="track-plan"' in html
    assert 'id="flight-map"' not in html and "leaflet" not in html


def test_no_inline_scripts_other_than_json_data(pilot, flight):
    html = _page(pilot, flight)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    for attributes, body in scripts:
        assert 'type="application/json"' in attributes or ("src=" in attributes and "defer" in attributes and not body)
    assert not re.search(r"\son[a-z]+=", html)


def test_the_pictures_have_no_fixed_width(pilot, flight):
    # A width="600" SVG made the page 648 px wide on a phone; the viewBox keeps the shape.
    html = _page(pilot, flight)
    for svg in re.findall(r"<svg\b[^>]*>", html):
        assert "width=" not in svg and "viewBox=" in svg


def test_the_default_tiles_are_openstreetmaps_with_its_credit():
    from django.conf import settings

    assert settings.MAP_TILE_URL == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "openstreetmap.org/copyright" in settings.MAP_TILE_ATTRIBUTION


def test_a_flight_without_a_track_has_no_map(pilot, booking, detected):
    from tests.wiflight.flight_fixtures import reservation_for

    flight = detected(booking.organization, "43", at(10, 9, 5), reservation_name=reservation_for(booking))
    FlightTrack.objects.create(flight=flight, points=[])
    html = _page(pilot, flight)
    assert "No track points." in html
    assert 'id="flight-map"' not in html and 'id="flight-track"' not in html


@pytest.mark.parametrize("given,expected", [
    ("off", ""), ("http://tiles.local/{z}/{x}/{y}.png", "http://tiles.local/{z}/{x}/{y}.png")])
def test_the_tile_url_comes_from_the_environment(given, expected):
    import os
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.MAP_TILE_URL)"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "MAP_TILE_URL": given})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
