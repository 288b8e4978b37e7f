"""The board at 1366x900: readable week cards, the legend, booking from a slot by click, drag
and keyboard, the Book link's next free slot, short blocks not cut off, instructor rows."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from dispatch.board import next_free_slot
from dispatch.models import BookingCrew, InstructorAvailability
from tests.conftest import at

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PIC, INSTRUCTOR = BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR
DESKTOP = {"width": 1366, "height": 900}


def _row(page, name: str):
    return page.locator("section.board-row").filter(has=page.get_by_role("heading", name=name, exact=True))


def test_week_view_cards_show_time_and_crew_legibly(new_page, club, dispatcher, pilot, pilot2, aircraft, book):
    for hour, who in ((8, pilot), (9, pilot2), (10, pilot), (11, pilot2)):
        book(aircraft, at(12, hour), at(12, hour, 45), [(who, PIC)])
    page = new_page(dispatcher, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/?view=week&date=2030-06-12")
    cards = _row(page, aircraft.registration).locator(".block")
    expect(cards).to_have_count(4)
    for n, (hour, who) in enumerate(((8, pilot), (9, pilot2), (10, pilot), (11, pilot2))):
        card = cards.nth(n)
        expect(card).to_contain_text(f"{hour:02d}:00–{hour:02d}:45")
        expect(card).to_contain_text(who.user.display_name)
        box = card.bounding_box()
        assert box["width"] >= 90 and box["height"] >= 30, box  # a card, not a sliver
        # Nothing of the time or the name is clipped.
        assert card.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), n


def test_legend_is_shown(new_page, club, pilot, aircraft):
    page = new_page(pilot, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/?date=2030-06-10")
    legend = page.locator(".board-legend")
    expect(legend).to_be_visible()
    for words in ("Booked", "Checked out", "Checked in", "At risk", "grounded", "Synced with Wi-Flight"):
        expect(legend).to_contain_text(words)


def test_short_day_view_blocks_are_not_cut_off(new_page, club, dispatcher, pilot, pilot2, aircraft, book):
    book(aircraft, at(10, 9), at(10, 9, 30), [(pilot, PIC)])
    book(aircraft, at(10, 9, 30), at(10, 10), [(pilot2, PIC)])
    page = new_page(dispatcher, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/?date=2030-06-10")
    blocks = _row(page, aircraft.registration).locator(".block")
    expect(blocks).to_have_count(2)
    first, second = blocks.nth(0).bounding_box(), blocks.nth(1).bounding_box()
    # Back-to-back short bookings do not cover each other (lanes), and each shows its time.
    overlap_x = first["x"] + first["width"] > second["x"] and second["x"] + second["width"] > first["x"]
    overlap_y = first["y"] + first["height"] > second["y"] and second["y"] + second["height"] > first["y"]
    assert not (overlap_x and overlap_y), (first, second)
    for n in range(2):
        assert blocks.nth(n).locator(".time").evaluate("el => el.scrollWidth <= el.parentElement.clientWidth"), n
    row_box = _row(page, aircraft.registration).bounding_box()
    assert second["y"] + second["height"] <= row_box["y"] + row_box["height"]


def test_clicking_a_slot_proposes_it_on_the_clubs_step(new_page, club, pilot, aircraft):
    club.booking_step_minutes = 15
    club.save()
    page = new_page(pilot, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/?date=2030-06-10")
    _row(page, aircraft.registration).locator("a.slot[aria-label='Book F-GABC 14:15']").click()
    expect(page).to_have_url(re.compile(r"start=2030-06-10T14%3A15|start=2030-06-10T14:15"))
    expect(page.locator("#id_aircraft")).to_have_value(str(aircraft.pk))
    expect(page.locator("#id_start")).to_have_value("2030-06-10T14:15")


def test_dragging_across_slots_proposes_the_range(new_page, club, pilot, aircraft):
    page = new_page(pilot, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/?date=2030-06-10")
    row = _row(page, aircraft.registration)
    a = row.locator("a.slot[aria-label='Book F-GABC 10:00']").bounding_box()
    b = row.locator("a.slot[aria-label='Book F-GABC 12:30']").bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=8)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"/bookings/new/\?"))
    url = page.url.replace("%3A", ":")
    assert "start=2030-06-10T10:00" in url and "end=2030-06-10T13:00" in url, url
    expect(page.locator("#id_start")).to_have_value("2030-06-10T10:00")


def test_after_a_drag_the_board_still_takes_clicks(new_page, club, pilot, aircraft):
    """The page can outlive a drag (Back from the browser's cache, or a navigation that does
    not happen): its slots and blocks must still follow their links."""
    page = new_page(pilot, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/?date=2030-06-10")
    # A 204 answer cancels the drag's navigation and leaves the board as it is.
    page.route("**/bookings/new/**", lambda route: route.fulfill(status=204))
    row = _row(page, aircraft.registration)
    a = row.locator("a.slot[aria-label='Book F-GABC 10:00']").bounding_box()
    b = row.locator("a.slot[aria-label='Book F-GABC 11:00']").bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=6)
    page.mouse.up()
    page.wait_for_timeout(300)
    page.unroute("**/bookings/new/**")
    expect(page).to_have_url(re.compile(r"/board/"))
    row.locator("a.slot[aria-label='Book F-GABC 14:00']").click()
    expect(page.locator("#id_start")).to_have_value("2030-06-10T14:00")


def test_keyboard_tab_into_the_grid_arrows_and_enter_books(new_page, club, pilot, aircraft, aircraft2):
    page = new_page(pilot, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/?date=2030-06-10")
    page.locator("h1").click()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.slot')"):
            break
    else:
        pytest.fail("Tab never entered the grid of slots")
    # One tab stop for the grid: the slot after it is not another slot.
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Book F-GABC 06:00"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Book F-GXYZ 07:00"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/bookings/new/\?"))
    expect(page.locator("#id_aircraft")).to_have_value(str(aircraft2.pk))
    expect(page.locator("#id_start")).to_have_value("2030-06-10T07:00")


def test_book_link_proposes_the_next_free_slot_from_now(new_page, club, pilot, pilot2, aircraft, book):
    club.day_starts, club.day_ends, club.booking_step_minutes = time(0), time(23, 59), 15
    club.save()
    now = timezone.now()
    today = timezone.localtime(now, club.tz).date()
    first = next_free_slot([], organization=club, day=today, now=now)
    if first is None or first + timedelta(hours=2, minutes=15) > datetime.combine(today, time(23, 59), tzinfo=club.tz):
        pytest.skip("too late in the club's day to leave room for a booking and a free hour after it")
    taken = book(aircraft, first, first + timedelta(hours=1), [(pilot2, PIC)])
    page = new_page(pilot, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/")
    _row(page, aircraft.registration).locator("a.book-row").click()
    expect(page.locator("#id_aircraft")).to_have_value(str(aircraft.pk))
    value = page.locator("#id_start").input_value()
    start = datetime.fromisoformat(value).replace(tzinfo=club.tz)
    assert start >= now - timedelta(minutes=1), value  # not in the past
    assert start >= taken.end or start + timedelta(hours=1) <= taken.start, value  # not taken
    assert start == taken.end, value  # the first free one, on the step


def test_instructor_rows_show_bookings_and_available_hours(new_page, club, dispatcher, instructor, student, aircraft, book):
    club.show_instructor_rows = True
    club.save()
    book(aircraft, at(10, 14), at(10, 15), [(student, PIC), (instructor, INSTRUCTOR)])
    InstructorAvailability.objects.create(organization=club, instructor=instructor, start=at(10, 9), end=at(10, 12))
    page = new_page(dispatcher, **DESKTOP)
    page.goto(f"/o/{club.slug}/board/?date=2030-06-10")
    row = _row(page, instructor.user.display_name)
    expect(row).to_be_visible()
    expect(row.locator(".block")).to_contain_text("14:00–15:00")
    shade = row.locator(".available")
    expect(shade).to_have_count(1)
    box, row_box = shade.bounding_box(), row.locator(".timeline").bounding_box()
    # 09:00-12:00 of the 06:00-22:00 frame: from 3/16 to 6/16 of the timeline.
    assert abs((box["x"] - row_box["x"]) / row_box["width"] - 3 / 16) < 0.01, (box, row_box)
    assert abs(box["width"] / row_box["width"] - 3 / 16) < 0.01
    expect(page.locator(".board-legend")).to_contain_text("Instructor available")

    page.goto(f"/o/{club.slug}/board/?view=week&date=2030-06-10")
    expect(_row(page, instructor.user.display_name)).to_contain_text("Available 09:00–12:00")
