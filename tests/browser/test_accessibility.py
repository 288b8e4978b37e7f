"""axe-core (tests/browser/axe.py) finds no serious or critical violation on the pages a
member uses most: the board (day and week), the booking form, the bookings list, the flight
page, the members page and the sign-in page, at desktop and phone sizes."""

import pytest

from tests.browser.axe import assert_no_serious_violations, describe, serious_violations
from tests.browser.test_flight_map import DATA_TILE, block_other_hosts, make_flight
from tests.wiflight.flight_fixtures import notify_conn  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(params=list(SIZES))
def size(request):
    return SIZES[request.param]


# Pages other engineers own; a violation found here is listed for them rather than fixed here.
# An entry becomes xfail(strict=True) so the suite says exactly when it is fixed.
THEIRS_FAILING: dict[str, str] = {}


def _check(request, page, name):
    if name in THEIRS_FAILING:
        request.applymarker(pytest.mark.xfail(strict=True, reason=THEIRS_FAILING[name]))
    assert_no_serious_violations(page)


@pytest.mark.parametrize("view", ["day", "week", "agenda"])
def test_the_board(request, new_page, live_server, club, dispatcher, aircraft, aircraft2, booking, instructor, size,
                   view):
    # A full board: a booking, a grounded aircraft, instructor rows with available hours.
    from dispatch.models import Aircraft, InstructorAvailability
    from tests.conftest import at

    Aircraft.objects.filter(pk=aircraft2.pk).update(status="grounded", grounded_reason="Magneto check")
    club.show_instructor_rows = True
    club.save()
    InstructorAvailability.objects.create(organization=club, instructor=instructor, start=at(10, 13), end=at(10, 17))
    page = new_page(dispatcher, width=size[0], height=size[1])
    page.goto(f"/o/{club.slug}/board/?view={view}&date=2030-06-10")
    assert page.locator(f"a[href='/o/{club.slug}/bookings/{booking.pk}/']").count() >= 1
    _check(request, page, f"board-{view}")


def test_the_booking_form(request, new_page, club, dispatcher, aircraft, size):
    page = new_page(dispatcher, width=size[0], height=size[1])
    page.goto(f"/o/{club.slug}/bookings/new/")
    _check(request, page, "booking-form")


def test_the_bookings_list(request, new_page, club, dispatcher, booking, size):
    page = new_page(dispatcher, width=size[0], height=size[1])
    page.goto(f"/o/{club.slug}/bookings/")
    _check(request, page, "bookings-list")


def test_the_members_page(request, new_page, club, admin, pilot, dispatcher, size):
    page = new_page(admin, width=size[0], height=size[1])
    page.goto(f"/o/{club.slug}/members/")
    _check(request, page, "members")


def test_the_sign_in_page(request, new_page, size):
    page = new_page(width=size[0], height=size[1])
    page.goto("/accounts/login/")
    _check(request, page, "sign-in")


@pytest.mark.parametrize("picture", ["fallback", "ready"])
def test_the_flight_page(request, settings, new_page, live_server, club, booking, pilot, notify_conn,  # noqa: F811
                         size, picture):
    if picture == "ready":
        settings.MAP_TILE_URL = DATA_TILE
    flight = make_flight(club, booking)
    page = new_page(pilot, width=size[0], height=size[1])
    block_other_hosts(page, live_server)
    page.goto(f"/o/{club.slug}/flights/{flight.pk}/")
    page.locator(f"figure.track-map[data-map={picture}]").wait_for(state="attached")
    _check(request, page, "flight")


def test_the_helper_reports_a_violation_with_rule_and_target(new_page, live_server):
    page = new_page()
    page.goto("/accounts/login/")
    page.set_content('<html lang="en"><body><main><img src="x.png"><button id="mute"></button></main></body></html>')
    violations = serious_violations(page)
    assert {"image-alt", "button-name"} <= {v["id"] for v in violations}
    message = describe(violations)
    assert "image-alt" in message and '["img"]' in message and '["#mute"]' in message
