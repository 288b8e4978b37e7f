"""The dispatch board in a real browser: sign in, book from the board, conflicts, roles, phone."""

import re
from datetime import datetime, time

import pytest
from django.utils import timezone

from dispatch.models import Booking, BookingCrew
from tests.conftest import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _today_at(club, hour: int) -> datetime:
    return datetime.combine(timezone.localdate(timezone=club.tz), time(hour), tzinfo=club.tz)


def _row(page, registration: str):
    return page.locator("section.board-row").filter(has=page.get_by_role("heading", name=registration, exact=True))


def test_dispatcher_signs_in_and_books_an_empty_slot(new_page, club, dispatcher, pilot, aircraft, aircraft2):
    page = new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", dispatcher.user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("button[type=submit]").click()

    # A dispatcher's day starts on today's board.
    expect(page).to_have_url(re.compile(rf"/o/{club.slug}/board/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(timezone.localdate(timezone=club.tz).strftime("%Y"))
    row = _row(page, aircraft.registration)
    expect(row.locator(".block")).to_have_count(0)

    row.locator("a.slot[aria-label='Book F-GABC 14:00']").click()
    expect(page.locator("#id_aircraft")).to_have_value(str(aircraft.pk))
    start = _today_at(club, 14)
    expect(page.locator("#id_start")).to_have_value(start.strftime("%Y-%m-%dT%H:%M"))
    expect(page.locator("#id_end")).to_have_value(start.replace(hour=15).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_pic", str(pilot.pk))
    page.get_by_role("button", name="Book", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Booked F-GABC.")
    block = _row(page, aircraft.registration).locator(".block")
    expect(block).to_have_count(1)
    expect(block).to_contain_text("14:00–15:00")
    expect(block).to_contain_text(pilot.user.display_name)
    expect(_row(page, aircraft2.registration).locator(".block")).to_have_count(0)

    booking = Booking.objects.get()
    assert (booking.aircraft, booking.start, booking.end) == (aircraft, start, start.replace(hour=15))
    assert list(booking.crew.values_list("membership", "role")) == [(pilot.pk, BookingCrew.Role.PIC)]


def test_overlapping_booking_is_refused_on_the_form(new_page, club, dispatcher, pilot, pilot2, aircraft, book):
    first = book(aircraft, _today_at(club, 10), _today_at(club, 12), [(pilot, BookingCrew.Role.PIC)])
    page = new_page(dispatcher)
    page.goto(f"/o/{club.slug}/board/")
    row = _row(page, aircraft.registration)
    expect(row.locator(".block")).to_contain_text("10:00–12:00")

    row.locator("a.book-row").click()
    day = _today_at(club, 0).strftime("%Y-%m-%d")
    page.fill("#id_start", f"{day}T11:00")
    page.fill("#id_end", f"{day}T13:00")
    page.select_option("#id_pic", str(pilot2.pk))
    page.get_by_role("button", name="Book", exact=True).click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("F-GABC is already booked")
    expect(alert).to_contain_text("10:00–12:00")
    # Still the form, with what the dispatcher typed, so they can pick another time.
    expect(page.locator("#id_start")).to_have_value(f"{day}T11:00")
    assert list(Booking.objects.values_list("pk", flat=True)) == [first.pk]


def test_pilot_gets_404_on_admin_pages_and_no_admin_links(new_page, club, pilot, admin, aircraft):
    page = new_page(pilot)
    for path in ("members/", "audit/"):
        response = page.goto(f"/o/{club.slug}/{path}")
        assert response.status == 404, path
    page.goto(f"/o/{club.slug}/board/")
    nav = page.get_by_role("navigation", name="Club")
    expect(nav.get_by_role("link", name="Board")).to_be_visible()
    expect(nav.get_by_role("link", name="Members")).to_have_count(0)
    expect(nav.get_by_role("link", name="Audit log")).to_have_count(0)

    # The same checks see the pages and links when they are there (an admin).
    admin_page = new_page(admin)
    for path in ("members/", "audit/"):
        assert admin_page.goto(f"/o/{club.slug}/{path}").status == 200, path
    admin_nav = admin_page.get_by_role("navigation", name="Club")
    expect(admin_nav.get_by_role("link", name="Members")).to_be_visible()
    # The admin pages sit in the Admin menu, closed until opened.
    admin_nav.locator("summary", has_text="Admin").click()
    expect(admin_nav.get_by_role("link", name="Audit log")).to_be_visible()


def test_board_on_a_phone_scrolls_sideways_and_book_is_reachable_by_keyboard(new_page, club, dispatcher, aircraft):
    page = new_page(dispatcher, width=375, height=740)
    page.goto(f"/o/{club.slug}/board/")
    board = page.get_by_role("region", name="Dispatch board")
    expect(board).to_be_visible()

    # The board scrolls inside its region; the page itself does not scroll sideways.
    dims = board.evaluate("el => ({client: el.clientWidth, scroll: el.scrollWidth})")
    assert dims["client"] <= 375 < dims["scroll"], dims
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    board.evaluate("el => { el.scrollLeft = 300; }")
    assert board.evaluate("el => el.scrollLeft") > 0
    board.evaluate("el => { el.scrollLeft = 0; }")
    # Keyboard users scroll it too: the region takes focus and the arrow keys move it.
    board.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(board).not_to_have_js_property("scrollLeft", 0)

    book = _row(page, aircraft.registration).locator("a.book-row")
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if book.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the Book link of F-GABC")
    box = book.bounding_box()
    assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 375, box
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/bookings/new/\?aircraft="))
    expect(page.locator("#id_aircraft")).to_have_value(str(aircraft.pk))
