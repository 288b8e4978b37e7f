"""The board on a 390x844 phone: it opens at the current time, the toolbar leaves room for
the board, badges stay inside their rows, and the agenda is one tap away."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dispatch.models import BookingCrew
from dispatch.services.fleet import aircraft_set_status

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ZONES = ["Pacific/Kiritimati", "Asia/Tokyo", "Asia/Kolkata", "Europe/Paris", "America/Sao_Paulo",
         "America/New_York", "America/Denver", "America/Los_Angeles", "Pacific/Honolulu", "Pacific/Pago_Pago"]


def _afternoon_zone() -> str:
    """A zone where it is now afternoon, so 'now' is far from the start of a 00:00-24:00 day."""
    for name in ZONES:
        if 13 <= timezone.now().astimezone(ZoneInfo(name)).hour < 20:
            return name
    pytest.skip("no listed zone in the afternoon")


def test_phone_opens_the_board_at_the_current_time(new_page, club, dispatcher, aircraft):
    club.timezone = _afternoon_zone()
    club.day_starts = club.day_starts.replace(hour=0)
    club.save()
    page = new_page(dispatcher, **PHONE)
    page.goto(f"/o/{club.slug}/board/")
    board = page.get_by_role("region", name="Dispatch board")
    now = board.locator(".now").first
    expect(now).to_be_attached()
    view, line = board.bounding_box(), now.bounding_box()
    sticky = board.locator(".board-row .ac-col").first.bounding_box()
    assert sticky["x"] + sticky["width"] <= line["x"] <= view["x"] + view["width"], (view, line, sticky)
    # The slot at now is the grid's tab stop.
    label = board.locator("a.slot[tabindex='0']").get_attribute("aria-label")
    assert label is not None and label.startswith("Book F-GABC")


def test_phone_toolbar_leaves_the_first_screen_to_the_board(new_page, club, dispatcher, aircraft):
    page = new_page(dispatcher, **PHONE)
    page.goto(f"/o/{club.slug}/board/")
    board = page.get_by_role("region", name="Dispatch board").bounding_box()
    assert board["y"] < 0.4 * PHONE["height"], board
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_badges_stay_inside_their_rows_on_a_phone(new_page, club, dispatcher, mechanic, aircraft, aircraft2):
    aircraft_set_status(actor=mechanic, aircraft=aircraft, grounded=True,
                        reason="Service bulletin SB2026_0042R1_REVB pending")
    page = new_page(dispatcher, **PHONE)
    page.goto(f"/o/{club.slug}/board/")
    row = page.locator("section.board-row").first
    badge = row.locator(".badge.grounded")
    expect(badge).to_be_visible()
    b, col = badge.bounding_box(), row.locator(".ac-col").bounding_box()
    assert col["x"] <= b["x"] and b["x"] + b["width"] <= col["x"] + col["width"] + 0.5, (b, col)
    assert col["y"] <= b["y"] and b["y"] + b["height"] <= col["y"] + col["height"] + 0.5, (b, col)


def test_agenda_is_one_tap_away_on_a_phone(new_page, club, dispatcher, pilot, aircraft, aircraft2, book):
    today = timezone.localdate(timezone=club.tz)
    start = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()), club.tz)
    book(aircraft2, start + timedelta(hours=15), start + timedelta(hours=16), [(pilot, BookingCrew.Role.PIC)])
    book(aircraft, start + timedelta(hours=8), start + timedelta(hours=9), [(pilot, BookingCrew.Role.PIC)])
    page = new_page(dispatcher, **PHONE)
    page.goto(f"/o/{club.slug}/board/")
    page.get_by_role("navigation", name="Board dates").get_by_role("link", name="Agenda").click()
    items = page.get_by_role("list", name="Agenda").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("08:00–09:00")
    expect(items.nth(0)).to_contain_text("F-GABC")
    expect(items.nth(1)).to_contain_text("F-GXYZ")
    expect(items.nth(1)).to_contain_text(pilot.user.display_name)
    assert items.nth(0).bounding_box()["width"] <= PHONE["width"]
