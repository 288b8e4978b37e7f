"""axe-core on the booking rules pages and on the forms once a rule has refused (the override
box shown), at desktop and phone sizes; the override typed in a real browser books."""

import pytest

from dispatch.models import Booking
from dispatch.services.bookings import BookingInput, booking_create
from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import _fast_passwords, browser, new_page  # noqa: F401 - fixtures
from tests.conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(params=list(SIZES))
def size(request):
    return SIZES[request.param]


def test_the_settings_page(new_page, club, admin, size):
    page = new_page(admin, width=size[0], height=size[1])
    page.goto(f"/o/{club.slug}/rules/")
    assert_no_serious_violations(page)
    page.get_by_role("group", name="Medical").get_by_label("Block").check()
    page.get_by_role("button", name="Save the rules").click()
    page.get_by_text("Booking rules saved.").wait_for()
    assert page.get_by_role("group", name="Medical").get_by_label("Block").is_checked()


def test_the_qualifications_page(new_page, club, dispatcher, pilot, size):
    page = new_page(dispatcher, width=size[0], height=size[1])
    page.goto(f"/o/{club.slug}/rules/members/{pilot.pk}/")
    assert_no_serious_violations(page)
    page.get_by_label("Licence expires on").fill("2020-01-01")
    page.get_by_role("button", name="Save the dates").click()
    page.locator(".standing-expired").wait_for()
    assert page.locator(".standing-expired").inner_text().startswith("Expired")


def test_a_dispatcher_overrides_in_the_booking_form(new_page, club, admin, dispatcher, pilot, aircraft, set_rules, size):
    set_rules(licence="block")
    page = new_page(dispatcher, width=size[0], height=size[1])
    page.goto(f"/o/{club.slug}/bookings/new/?aircraft={aircraft.pk}&start=2030-06-10T09:00&end=2030-06-10T11:00")
    page.get_by_label("Pilot in command").select_option(str(pilot.pk))
    page.get_by_role("button", name="Book").click()
    assert page.get_by_role("alert").get_by_text("Pilot has no licence on file.", exact=False).is_visible()
    assert_no_serious_violations(page)
    page.get_by_label("Override reason").fill("Licence seen at the desk")
    page.get_by_role("button", name="Book anyway").click()
    page.wait_for_url("**/board/**")
    assert page.get_by_text("Booked despite Pilot has no licence on file: Licence seen at the desk").is_visible()
    assert Booking.objects.get().rule_findings[0]["overridden"]


def test_the_booking_page_with_warnings(new_page, club, admin, dispatcher, pilot, aircraft, set_rules, size):
    set_rules(medical="warn")
    booking = booking_create(actor=dispatcher, data=BookingInput(aircraft=aircraft, start=at(10, 9), end=at(10, 11),
                                                                 crew=[(pilot, "pic")]))
    page = new_page(pilot, width=size[0], height=size[1])
    page.goto(f"/o/{club.slug}/bookings/{booking.pk}/")
    assert page.get_by_role("heading", name="Rule warnings at booking/check-out").is_visible()
    assert_no_serious_violations(page)
