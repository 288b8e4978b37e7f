"""The top bar, the bookings list and the favicon in a real browser, at desktop and phone sizes."""

import pytest

from dispatch.models import BookingCrew
from tests.conftest import at

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _topbar_height(page) -> float:
    return page.locator("header.topbar").bounding_box()["height"]


def _line_height(page) -> float:
    """The height the bar has with one line of links: its padding plus the brand's line."""
    return page.locator("header.topbar").evaluate(
        "bar => { const s = getComputedStyle(bar); const brand = bar.querySelector('.brand');"
        " return parseFloat(s.paddingTop) + parseFloat(s.paddingBottom)"
        " + Math.max(brand.getBoundingClientRect().height, 28); }")


def test_an_admins_bar_is_one_line_at_1366_with_the_admin_links_in_one_menu(new_page, club, admin):
    page = new_page(admin, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/")
    nav = page.get_by_role("navigation", name="Club")
    expect(nav.get_by_role("link", name="Board")).to_be_visible()
    expect(nav.get_by_role("link", name="Members")).to_be_visible()
    assert _topbar_height(page) <= _line_height(page) + 4
    tops = {round(box["y"] + box["height"] / 2) for box in (
        page.locator("header.topbar").locator("a:visible, summary:visible, button:visible").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return {y: r.y, height: r.height}; })"))}
    assert max(tops) - min(tops) <= 4, tops  # every visible item on the same line

    audit = nav.get_by_role("link", name="Audit log")
    expect(audit).to_be_hidden()
    nav.locator("summary", has_text="Admin").click()
    for name in ("Overview", "Audit log", "API keys", "Applications", "Webhooks", "Wi-Flight"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    audit.click()
    page.wait_for_url(f"**/o/{club.slug}/audit/")


def test_a_pilot_has_no_admin_menu(new_page, club, pilot):
    page = new_page(pilot, **DESKTOP)
    page.goto(f"/o/{club.slug}/bookings/mine/")
    expect(page.get_by_role("navigation", name="Club").locator("summary", has_text="Admin")).to_have_count(0)


def test_on_a_phone_the_navigation_is_a_small_menu(new_page, club, admin):
    page = new_page(admin, **PHONE)
    page.goto(f"/o/{club.slug}/board/")
    assert _topbar_height(page) < 0.15 * PHONE["height"]
    nav = page.get_by_role("navigation", name="Club")
    expect(nav.get_by_role("link", name="Board")).to_be_hidden()
    page.locator("header.topbar summary", has_text="Menu").click()
    expect(nav.get_by_role("link", name="Board")).to_be_visible()
    expect(nav.get_by_role("link", name="Members")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    nav.locator("summary", has_text="Admin").click()
    expect(nav.get_by_role("link", name="Webhooks")).to_be_visible()
    nav.get_by_role("link", name="Fleet").click()
    page.wait_for_url(f"**/o/{club.slug}/fleet/")


def test_the_bookings_list_is_usable_on_a_phone(new_page, club, dispatcher, book, aircraft, aircraft2, pilot):
    book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])
    book(aircraft2, at(11, 9), at(11, 10), [(pilot, BookingCrew.Role.PIC)])
    page = new_page(dispatcher, **PHONE)
    page.goto(f"/o/{club.slug}/bookings/?from=2030-06-01")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    rows = page.locator("table.booking-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Pilot in command")
    expect(rows.first.locator("td[data-label=Aircraft]")).to_be_visible()
    page.fill("input[name=q]", "f gxyz")
    page.get_by_role("button", name="Find").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("F-GXYZ")
    page.fill("input[name=q]", "")
    page.fill("input[name=from]", "2030-06-12")
    page.fill("input[name=to]", "2030-06-10")
    page.get_by_role("button", name="Find").click()
    expect(page.locator(".field.has-error .error")).to_have_text("The end date is before the start date.")


def test_the_favicon_is_ours_and_served(new_page, club, pilot):
    page = new_page(pilot, **DESKTOP)
    page.goto(f"/o/{club.slug}/bookings/mine/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href.endswith("favicon.svg")
    response = page.request.get(href if href.startswith("/") else "/" + href)
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in response.text()


def test_an_open_menu_closes_on_escape_and_on_a_click_outside(new_page, club, admin):
    page = new_page(admin, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/")
    nav = page.get_by_role("navigation", name="Club")
    admin_menu = nav.locator("summary", has_text="Admin")
    admin_menu.click()
    expect(nav.get_by_role("link", name="Audit log")).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Audit log")).to_be_hidden()
    expect(admin_menu).to_be_focused()
    admin_menu.click()
    page.get_by_role("heading", level=1).click()
    expect(nav.get_by_role("link", name="Audit log")).to_be_hidden()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_lists_pass_axe_with_errors_and_past_bookings_showing(new_page, club, dispatcher, pilot, book, aircraft,
                                                                 size):
    from datetime import timedelta

    from django.utils import timezone

    from dispatch.services.bookings import booking_cancel
    from tests.browser.axe import assert_no_serious_violations

    soon = timezone.now() + timedelta(days=1)
    booking_cancel(actor=pilot, booking=book(aircraft, soon, soon + timedelta(hours=1), [(pilot, BookingCrew.Role.PIC)]),
                   reason="Weather")
    page = new_page(dispatcher, **size)
    page.goto(f"/o/{club.slug}/bookings/?from=2030-02-30&page=x")
    expect(page.locator(".field.has-error")).to_have_count(2)
    assert_no_serious_violations(page)
    page = new_page(pilot, **size)
    page.goto(f"/o/{club.slug}/bookings/mine/")
    expect(page.locator(".past-bookings")).to_contain_text("Reason: Weather")
    assert_no_serious_violations(page)
