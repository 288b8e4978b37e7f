"""Issue 12's "done when", end to end in chromium: a dispatcher books, moves, walks up, checks
out and in, and cancels from the board, once by keyboard only and once by mouse; a pilot books,
checks out and in, and opens the flight's map on a phone."""

import re
from decimal import Decimal

import pytest

from dispatch.models import Booking, BookingCrew
from flights.models import FlightTrack
from tests.browser.axe import assert_no_serious_violations
from tests.browser.test_flight_map import DATA_TILE, block_other_hosts
from tests.conftest import at
from tests.flights.conftest import detect
from tests.wiflight.flight_fixtures import notify_conn, reservation_for  # noqa: F401 - fixture

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
BOARD_DAY = "2030-06-10"


def _board(club) -> str:
    return f"/o/{club.slug}/board/?date={BOARD_DAY}"


def _row(page, registration: str):
    return page.locator("section.board-row").filter(has=page.get_by_role("heading", name=registration, exact=True))


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector`: what a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def _only_booking(aircraft) -> Booking:
    return Booking.objects.exclude(status=Booking.Status.CANCELLED).get(aircraft=aircraft)


def test_dispatcher_runs_the_day_by_keyboard_only(new_page, club, dispatcher, pilot, aircraft, aircraft2):
    page = new_page(dispatcher, **DESKTOP)
    page.goto(_board(club))
    page.locator("h1").click()  # focus starts at the top of the page

    # Book: Tab into the grid of free slots, arrows to 08:00, Enter.
    _tab_to(page, "a.slot")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Book F-GABC 08:00"
    page.keyboard.press("Enter")
    expect(page.locator("#id_start")).to_have_value(f"{BOARD_DAY}T08:00")
    page.locator("#id_pic").focus()
    page.locator("#id_pic").select_option(str(pilot.pk))
    page.keyboard.press("Tab")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Booked F-GABC.")
    booking = _only_booking(aircraft)
    assert (booking.start, booking.end) == (at(10, 8), at(10, 9))

    # Move it to 10:00: the block is a link, the booking page has "Change".
    page.locator(f"#booking-{booking.pk}").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("F-GABC")
    page.get_by_role("link", name="Change").focus()
    page.keyboard.press("Enter")
    page.locator("#id_start").fill(f"{BOARD_DAY}T10:00")
    page.locator("#id_end").fill(f"{BOARD_DAY}T11:00")
    page.locator("#id_end").focus()
    page.keyboard.press("Enter")  # submits the form
    expect(page.get_by_role("status")).to_contain_text("Booking changed.")
    booking.refresh_from_db()
    assert (booking.start, booking.end) == (at(10, 10), at(10, 11))
    expect(_row(page, aircraft.registration).locator(".block")).to_contain_text("10:00–11:00")

    # Check out and in from the booking page, meters prefilled.
    page.locator(f"#booking-{booking.pk}").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_hobbs_out")).to_have_value("1000.0")
    page.get_by_role("button", name="Check out").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("F-GABC checked out.")
    page.locator("#id_hobbs_in").fill("1001.4")
    page.locator("#id_tach_in").fill("801.1")
    page.get_by_role("button", name="Check in").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("F-GABC checked in.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED and booking.dispatch.hobbs_hours == Decimal("1.4")

    # Walk-up: aircraft first, then the crew; the meters are the aircraft's.
    page.goto(_board(club))
    page.get_by_role("link", name="Walk-up dispatch").focus()
    page.keyboard.press("Enter")
    page.locator("#id_aircraft").focus()
    page.locator("#id_aircraft").select_option(str(aircraft2.pk))
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_hobbs_out")).to_have_value(f"{aircraft2.hobbs:.1f}")
    page.locator("#id_pic").focus()
    page.locator("#id_pic").select_option(str(pilot.pk))
    page.get_by_role("button", name="Dispatch").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"{aircraft2.registration} dispatched.")
    assert _only_booking(aircraft2).status == Booking.Status.DISPATCHED

    # Book another slot and cancel it, confirming, with a reason.
    page.goto(_board(club))
    page.locator("h1").click()
    _tab_to(page, "a.slot")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.locator("#id_pic").select_option(str(pilot.pk))
    page.get_by_role("button", name="Book", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Booked F-GABC.")
    late = Booking.objects.filter(aircraft=aircraft, status=Booking.Status.BOOKED).get()
    page.locator(f"#booking-{late.pk}").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Cancel booking…").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Reason for cancelling").focus()
    page.keyboard.type("Weather")
    page.get_by_role("button", name="Cancel booking").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Booking cancelled.")
    late.refresh_from_db()
    assert late.status == Booking.Status.CANCELLED and late.cancel_reason == "Weather"


def test_dispatcher_runs_the_day_by_mouse(new_page, club, dispatcher, pilot, aircraft):
    page = new_page(dispatcher, **DESKTOP)
    page.goto(_board(club))
    # Drag across 09:00-11:00 to book that range.
    row = _row(page, aircraft.registration)
    first, last = row.locator("a.slot[aria-label='Book F-GABC 09:00']"), row.locator("a.slot[aria-label='Book F-GABC 10:30']")
    a, b = first.bounding_box(), last.bounding_box()
    page.mouse.move(a["x"] + 3, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=8)
    page.mouse.up()
    expect(page.locator("#id_start")).to_have_value(f"{BOARD_DAY}T09:00")
    expect(page.locator("#id_end")).to_have_value(f"{BOARD_DAY}T11:00")
    page.select_option("#id_pic", str(pilot.pk))
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Booked F-GABC.")
    booking = _only_booking(aircraft)

    # Move, check out, check in, all by clicking.
    page.locator(f"#booking-{booking.pk}").click()
    page.get_by_role("link", name="Change").click()
    page.fill("#id_start", f"{BOARD_DAY}T13:00")
    page.fill("#id_end", f"{BOARD_DAY}T15:00")
    page.get_by_role("button", name=re.compile("Save|Change|Book")).first.click()
    expect(page.get_by_role("status")).to_contain_text("Booking changed.")
    booking.refresh_from_db()
    assert booking.start == at(10, 13)
    page.locator(f"#booking-{booking.pk}").click()
    page.get_by_role("button", name="Check out").click()
    expect(page.get_by_role("status")).to_contain_text("F-GABC checked out.")
    page.fill("#id_hobbs_in", "1002.0")
    page.fill("#id_tach_in", "801.6")
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_role("status")).to_contain_text("F-GABC checked in.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED


def test_pilot_books_flies_and_opens_the_map_on_a_phone(settings, new_page, live_server, club, pilot, aircraft,
                                                        notify_conn):  # noqa: F811 - the fixture imported above
    club.pilots_self_dispatch = True
    club.save()
    settings.MAP_TILE_URL = DATA_TILE
    page = new_page(pilot, **PHONE)
    page.goto(_board(club))
    slot = _row(page, aircraft.registration).locator("a.slot[aria-label='Book F-GABC 08:00']")
    slot.scroll_into_view_if_needed()
    slot.click()
    expect(page.locator("#id_pic")).to_have_value(str(pilot.pk))  # a pilot books for themselves
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Booked F-GABC.")
    booking = _only_booking(aircraft)
    assert list(booking.crew.values_list("membership", "role")) == [(pilot.pk, BookingCrew.Role.PIC)]

    page.goto(f"/o/{club.slug}/bookings/{booking.pk}/")
    page.get_by_role("button", name="Check out").click()
    expect(page.get_by_role("status")).to_contain_text("F-GABC checked out.")
    page.fill("#id_hobbs_in", "1001.1")
    page.fill("#id_tach_in", "800.9")
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_role("status")).to_contain_text("F-GABC checked in.")

    flight = detect(club, "77", at(10, 8, 5), reservation_name=reservation_for(booking))
    FlightTrack.objects.create(flight=flight, points=[
        [t, 48.75 + t / 36000, 2.1 + t / 36000, 300 + t / 10, 0, 45, 0, 0, 1, 2400] for t in range(0, 3001, 30)])
    block_other_hosts(page, live_server)
    page.goto(f"/o/{club.slug}/flights/mine/")
    page.locator(f"a[href='/o/{club.slug}/flights/{flight.pk}/']").first.click()
    expect(page.locator("figure.track-map")).to_have_attribute("data-map", "ready")
    expect(page.get_by_role("region", name="Map of the flight")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_serious_violations(page)
