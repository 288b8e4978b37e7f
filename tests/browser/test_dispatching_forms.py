"""Dispatching in a real browser: walk-up by aircraft first, the check-in warning and "Save
anyway", cancelling with confirmation, a pilot checking themselves out and in on a phone."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import etree

from dispatch.models import Aircraft, Booking
from dispatch.services.dispatching import booking_check_out
from flights.models import Flight
from integrations.wiflight.flight_services import flight_ingest
from integrations.wiflight.xml import parse_flight_xml
from tests.conftest import at
from tests.wiflight.flight_docs import flight_element
from tests.wiflight.flight_fixtures import notify_conn, reservation_for  # noqa: F401 - fixture

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _booking_url(club, booking):
    return reverse("dispatch:booking", args=[club.slug, booking.pk])


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_dispatcher_walks_up_by_aircraft_first_with_meters_prefilled(new_page, club, dispatcher, pilot, aircraft,
                                                                     aircraft2, size):
    aircraft2.hobbs, aircraft2.tach = Decimal("2345.6"), Decimal("1999.9")
    aircraft2.save()
    page = new_page(dispatcher, **size)
    page.goto(reverse("dispatch:walkup", args=[club.slug]))
    expect(page.get_by_text("Step 1 of 2")).to_be_visible()
    expect(page.locator("#id_hobbs_out")).to_have_count(0)
    page.select_option("#id_aircraft", str(aircraft2.pk))
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Step 2 of 2")).to_be_visible()
    expect(page.locator("#id_aircraft")).to_have_value(str(aircraft2.pk))
    expect(page.locator("#id_hobbs_out")).to_have_value("2345.6")
    expect(page.locator("#id_tach_out")).to_have_value("1999.9")
    expect(page.locator("#id_end")).not_to_have_value("")
    # With the script, picking another aircraft refills its meters.
    page.select_option("#id_aircraft", str(aircraft.pk))
    expect(page.locator("#id_hobbs_out")).to_have_value("1000.0")
    expect(page.locator("#id_tach_out")).to_have_value("800.0")
    page.select_option("#id_pic", str(pilot.pk))
    page.get_by_role("button", name="Dispatch").click()

    expect(page.get_by_role("status")).to_contain_text("F-GABC dispatched.")
    booking = Booking.objects.get()
    assert booking.aircraft == aircraft and booking.status == Booking.Status.DISPATCHED
    assert (booking.dispatch.hobbs_out, booking.dispatch.tach_out) == (Decimal("1000.0"), Decimal("800.0"))


def test_walkup_without_javascript_still_takes_two_steps(browser, live_server, club, dispatcher, pilot, aircraft):
    from django.conf import settings
    from django.test import Client

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=DESKTOP)
    try:
        client = Client()
        client.force_login(dispatcher.user)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
        page = context.new_page()
        page.goto(reverse("dispatch:walkup", args=[club.slug]))
        page.select_option("#id_aircraft", str(aircraft.pk))
        page.get_by_role("button", name="Next").click()
        expect(page.locator("#id_hobbs_out")).to_have_value("1000.0")
        page.select_option("#id_pic", str(pilot.pk))
        page.get_by_role("button", name="Dispatch").click()
        expect(page.get_by_role("status")).to_contain_text("F-GABC dispatched.")
    finally:
        context.close()


@pytest.fixture
def flown_booking(club, booking, dispatcher, aircraft, notify_conn):
    """Checked out at Hobbs 1000.0 / tach 800.0, with one hour of engine time detected."""
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    raw = etree.tostring(flight_element(flight_id="9", tail="F-GABC", start=at(10, 9, 5), length=3600))
    flight_ingest(organization_id=club.pk, document=parse_flight_xml(raw), raw=raw.decode(),
                  reservation_name=reservation_for(booking), source=Flight.Source.NOTIFICATION)
    return booking


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_check_in_warns_then_saves_anyway(new_page, club, dispatcher, flown_booking, size):
    page = new_page(dispatcher, **size)
    page.goto(_booking_url(club, flown_booking))
    expect(page.locator("#id_hobbs_in")).to_have_value("1001.0")
    expect(page.locator("#id_tach_in")).to_have_value("801.0")
    expect(page.get_by_label("Save anyway")).to_have_count(0)
    page.fill("#id_hobbs_in", "1002.5")
    page.get_by_role("button", name="Check in").click()

    alert = page.get_by_role("alert")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("differs from the engine time Wi-Flight detected")
    flown_booking.refresh_from_db()
    assert flown_booking.status == Booking.Status.DISPATCHED
    expect(page.locator("#id_hobbs_in")).to_have_value("1002.5")
    page.get_by_label("Save anyway").check()
    page.get_by_role("button", name="Check in").click()

    expect(page.get_by_role("status")).to_contain_text("F-GABC checked in.")
    flown_booking.refresh_from_db()
    assert flown_booking.status == Booking.Status.COMPLETED and flown_booking.dispatch.hobbs_in == Decimal("1002.5")
    assert flown_booking.dispatch.tach_in == Decimal("801.0")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_cancel_asks_for_confirmation_and_the_reason_is_shown(new_page, club, dispatcher, booking, size):
    page = new_page(dispatcher, **size)
    page.goto(_booking_url(club, booking))
    page.get_by_role("link", name="Cancel booking…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this booking?")
    # "Keep it" changes nothing.
    page.get_by_role("link", name="Keep it").click()
    expect(page).to_have_url(re.compile(rf"{_booking_url(club, booking)}$"))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED

    page.get_by_role("link", name="Cancel booking…").click()
    page.get_by_label("Reason for cancelling").fill("Crosswind out of limits")
    page.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_role("status")).to_contain_text("Booking cancelled.")
    expect(page.locator(".cancelled-note")).to_contain_text("by Dispatcher: Crosswind out of limits")
    expect(page.get_by_role("link", name="Cancel booking…")).to_have_count(0)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancel_reason == "Crosswind out of limits"


def test_pilot_checks_out_and_in_on_a_phone_when_the_club_allows(new_page, club, pilot, booking):
    club.pilots_self_dispatch = True
    club.save()
    page = new_page(pilot, **PHONE)
    page.goto(_booking_url(club, booking))
    page.get_by_role("button", name="Check out").click()
    expect(page.get_by_role("status")).to_contain_text("F-GABC checked out.")
    page.fill("#id_hobbs_in", "1001.2")
    page.fill("#id_tach_in", "800.9")
    check_in = page.get_by_role("button", name="Check in")
    check_in.scroll_into_view_if_needed()
    assert check_in.bounding_box()["x"] + check_in.bounding_box()["width"] <= PHONE["width"]
    check_in.click()
    expect(page.get_by_role("status")).to_contain_text("F-GABC checked in.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED
    assert Aircraft.objects.get(pk=booking.aircraft_id).hobbs == Decimal("1001.2")


def test_pilot_gets_no_check_out_on_a_phone_when_the_club_does_not_allow(new_page, club, pilot, booking):
    page = new_page(pilot, **PHONE)
    page.goto(_booking_url(club, booking))
    expect(page.get_by_role("heading", level=1)).to_contain_text("F-GABC")
    expect(page.get_by_role("button", name="Check out")).to_have_count(0)
    expect(page.get_by_role("heading", name="Check out")).to_have_count(0)


def test_admin_deactivates_a_member_only_after_confirming(new_page, club, admin, pilot):
    from clubs.models import Membership

    page = new_page(admin, **DESKTOP)
    page.goto(reverse("member_list", args=[club.slug]))
    row = page.get_by_role("row").filter(has_text=pilot.user.email)
    row.get_by_role("link", name="Deactivate…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Pilot?")
    page.get_by_role("link", name="Keep them active").click()
    assert Membership.objects.get(pk=pilot.pk).is_active

    row = page.get_by_role("row").filter(has_text=pilot.user.email)
    row.get_by_role("link", name="Deactivate…").click()
    page.get_by_role("button", name="Deactivate Pilot").click()
    expect(page.get_by_role("status")).to_contain_text("Pilot is deactivated.")
    assert not Membership.objects.get(pk=pilot.pk).is_active
