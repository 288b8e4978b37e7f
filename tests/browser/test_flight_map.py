"""The flight page in a real browser: the track on a Leaflet map when a tile loads, the SVG
plan when none does (offline, tests), when Leaflet is missing and when JS is off; the page
fits a phone."""

import base64
import struct
import zlib

import pytest
from django.conf import settings as django_settings
from django.test import Client

from flights.models import FlightTrack
from tests.conftest import at
from tests.flights.conftest import detect
from tests.wiflight.flight_fixtures import notify_conn, reservation_for  # noqa: F401 - fixture

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_flight(club, booking):
    flight = detect(club, "42", at(10, 9, 5), reservation_name=reservation_for(booking))
    points = [[t, 48.75 + t / 36000, 2.1 + t / 36000, 300 + t / 10, 0, 45, 0, 0, 1, 2400] for t in range(0, 3601, 30)]
    FlightTrack.objects.create(flight=flight, points=points)
    return flight


@pytest.fixture
def flight(club, booking, notify_conn):  # noqa: F811 - the fixture imported above
    return make_flight(club, booking)


def flight_url(flight) -> str:
    return f"/o/{flight.organization.slug}/flights/{flight.pk}/"


def _png(width: int = 256, height: int = 256) -> bytes:
    rows = b"".join(b"\x00" + b"\xc8\xe6\xc8" * width for _ in range(height))  # filter byte, then RGB

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


DATA_TILE = "data:image/png;base64," + base64.b64encode(_png()).decode()


def block_other_hosts(page, live_server):
    """Tiles cannot load in tests: every request off the live server fails, as offline."""
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
               or route.request.url.startswith("data:") else route.abort())


def test_without_tiles_the_plan_stays_and_the_map_goes(new_page, live_server, pilot, flight):
    page = new_page(pilot, width=1366, height=900)
    block_other_hosts(page, live_server)
    page.goto(flight_url(flight))
    expect(page.locator("figure.track-map")).to_have_attribute("data-map", "fallback")
    expect(page.locator("#flight-map")).to_have_count(0)
    expect(page.get_by_role("img", name="Plan view of the flight")).to_be_visible()
    expect(page.get_by_role("img", name="Altitude profile")).to_be_visible()


def test_with_a_loadable_tile_the_track_is_on_the_map(settings, new_page, live_server, pilot, flight):
    settings.MAP_TILE_URL = DATA_TILE
    settings.MAP_TILE_ATTRIBUTION = "Test tiles"
    page = new_page(pilot, width=1366, height=900)
    block_other_hosts(page, live_server)
    page.goto(flight_url(flight))
    figure = page.locator("figure.track-map")
    expect(figure).to_have_attribute("data-map", "ready")
    expect(page.get_by_role("region", name="Map of the flight")).to_be_visible()
    expect(page.locator("#flight-map .leaflet-tile-loaded").first).to_be_attached()
    # The track and its two ends (engine on, engine off) are drawn in Leaflet's overlay pane.
    expect(page.locator("#flight-map .leaflet-overlay-pane path")).to_have_count(3)
    expect(page.locator("#flight-map .leaflet-control-attribution")).to_contain_text("Test tiles")
    expect(page.get_by_role("img", name="Plan view of the flight")).to_be_hidden()
    expect(page.get_by_role("img", name="Altitude profile")).to_be_visible()
    # The map takes the plan's place and leaves its caption readable.
    map_box, caption_box = page.locator("#flight-map").bounding_box(), figure.locator("figcaption").bounding_box()
    assert map_box["height"] > 100 and map_box["y"] + map_box["height"] <= caption_box["y"]


def test_when_leaflet_does_not_load_the_plan_stays(settings, new_page, live_server, pilot, flight):
    settings.MAP_TILE_URL = DATA_TILE
    page = new_page(pilot, width=1366, height=900)
    page.route("**/leaflet.js", lambda route: route.abort())
    page.goto(flight_url(flight))
    expect(page.locator("figure.track-map")).to_have_attribute("data-map", "fallback")
    expect(page.get_by_role("img", name="Plan view of the flight")).to_be_visible()


def test_without_javascript_the_plan_is_the_picture(browser, live_server, pilot, flight):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  viewport={"width": 1366, "height": 900})
    try:
        client = Client()
        client.force_login(pilot.user)
        context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "url": live_server.url,
                              "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value}])
        page = context.new_page()
        page.goto(flight_url(flight))
        expect(page.get_by_role("img", name="Plan view of the flight")).to_be_visible()
        expect(page.locator("#flight-map")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("tiles", ["none", "loadable"])
def test_the_page_fits_a_phone(settings, new_page, live_server, pilot, flight, tiles):
    if tiles == "loadable":
        settings.MAP_TILE_URL = DATA_TILE
    page = new_page(pilot, width=390, height=844)
    block_other_hosts(page, live_server)
    page.goto(flight_url(flight))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # 648 with the fixed-size SVGs
    expect(page.locator("figure.track-map")).to_have_attribute("data-map", "fallback" if tiles == "none" else "ready")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_role("img", name="Altitude profile").bounding_box()["width"] <= 390
