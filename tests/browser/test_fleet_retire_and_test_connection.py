"""The fleet in a real browser, on a desktop and a phone: add an aircraft with its starting
meters, retire it (it leaves the board), and test the Wi-Flight connection against the
simulator over real HTTP (known and unknown registrations)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from dispatch.models import Aircraft
from tests.wiflight.conftest import connection, sim, simulator  # noqa: F401 - fixtures

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def _no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES)
def test_admin_adds_an_aircraft_with_meters_then_retires_it(size, new_page, club, admin, aircraft):
    width, height = SIZES[size]
    page = new_page(admin, width=width, height=height)
    page.goto(f"/o/{club.slug}/fleet/")
    page.get_by_role("link", name="Add aircraft").click()

    expect(page.get_by_label("Carries a Wi-Flight recorder")).not_to_be_checked()
    page.get_by_label("Registration").fill("f-gnew")
    page.get_by_label("Type", exact=True).fill("Robin DR400")
    page.get_by_label("Hourly rate").fill("140")
    page.get_by_label("Starting Hobbs").fill("2345.6")
    page.get_by_label("Starting tach").fill("1987.1")
    _no_sideways_scroll(page, width)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Added F-GNEW.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("F-GNEW")
    expect(page.locator(".aircraft-facts")).to_contain_text("2345.6")
    expect(page.locator(".aircraft-facts")).to_contain_text("1987.1")
    new = Aircraft.objects.get(registration="F-GNEW")
    assert (new.hobbs, new.tach, new.has_wiflight_recorder) == (Decimal("2345.6"), Decimal("1987.1"), False)

    page.goto(f"/o/{club.slug}/board/")
    expect(page.locator("section.board-row").filter(has=page.get_by_role("heading", name="F-GNEW", exact=True))).to_have_count(1)

    page.goto(f"/o/{club.slug}/fleet/{new.pk}/")
    page.get_by_label("Reason for retiring").fill("Sold")
    _no_sideways_scroll(page, width)
    page.get_by_role("button", name="Retire F-GNEW").click()
    expect(page).to_have_url(re.compile(rf"/o/{club.slug}/fleet/$"))
    expect(page.get_by_role("status")).to_contain_text("Retired F-GNEW")
    retired = page.get_by_role("region", name="Retired")
    expect(retired.get_by_role("link", name="F-GNEW")).to_be_visible()
    _no_sideways_scroll(page, width)

    page.goto(f"/o/{club.slug}/board/")
    expect(page.locator("section.board-row").filter(has=page.get_by_role("heading", name="F-GABC", exact=True))).to_have_count(1)
    expect(page.locator("section.board-row").filter(has=page.get_by_role("heading", name="F-GNEW", exact=True))).to_have_count(0)

    # Its history is still one click away.
    page.goto(f"/o/{club.slug}/fleet/")
    page.get_by_role("region", name="Retired").get_by_role("link", name="F-GNEW").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("F-GNEW")
    expect(page.get_by_role("button", name="Reinstate")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_test_connection_lists_known_and_unknown_registrations(size, new_page, club, admin, aircraft, connection):  # noqa: F811
    Aircraft.objects.create(organization=club, registration="F-GNEW", aircraft_type="Robin DR400")
    width, height = SIZES[size]
    page = new_page(admin, width=width, height=height)
    page.goto(_settings_url(club))
    page.get_by_role("button", name="Test connection").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wi-Flight connection test")
    expect(page.locator(".test-ok")).to_contain_text("Signed in to Wi-Flight.")
    expect(page.locator("tr[data-registration='F-GABC']")).to_contain_text("Known")
    expect(page.locator("tr[data-registration='F-GNEW']")).to_contain_text("Not known")
    expect(page.get_by_role("status")).to_contain_text("1 aircraft not known to Wi-Flight.")
    _no_sideways_scroll(page, width)


def test_test_connection_during_an_outage_says_so(new_page, club, admin, aircraft, connection, sim):  # noqa: F811
    sim.faults(unavailable=True)
    page = new_page(admin, width=1366, height=900)
    page.goto(_settings_url(club))
    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_role("alert")).to_contain_text("Could not sign in.")
    expect(page.get_by_role("alert")).to_contain_text("Could not reach Wi-Flight at 127.0.0.1:")
    expect(page.locator("table")).to_have_count(0)


def _settings_url(club) -> str:
    return reverse("wiflight:settings", args=[club.slug])
