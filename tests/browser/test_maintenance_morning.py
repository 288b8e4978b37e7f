"""Issue 14 in chromium, a morning at the club: the board says the 100-hour is near; a
booking for a pilot whose medical lapsed is blocked and a dispatcher overrides it with a
reason; the check-in that flies past the tolerance grounds the aircraft by itself; the
mechanic's sign-off returns it to service, the next one due from the previous due point; a
pilot reports a deferred squawk from a phone, with a photo, and the next check-out lists it."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from booking_rules.models import BookingRules
from clubs.models import AuditEvent
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services.dispatching import booking_check_out
from maintenance.models import MaintenanceItem
from maintenance.services.items import ItemInput, item_create
from tests.browser.axe import assert_no_serious_violations

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def test_a_maintenance_morning(new_page, club, aircraft, dispatcher, pilot, mechanic, book):
    now = timezone.now().replace(second=0, microsecond=0)
    flying = book(aircraft, now - timedelta(minutes=30), now + timedelta(minutes=90), [(pilot, BookingCrew.Role.PIC)])
    booking_check_out(actor=dispatcher, booking=flying, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    item_create(actor=mechanic, aircraft=aircraft, data=ItemInput(
        kind="hundred_hour", name="100-hour inspection", interval_hours=Decimal("100"),
        tolerance_hours=Decimal("10"), next_due_hours=Decimal("805.0")))
    BookingRules.objects.create(organization=club, medical="block")
    pilot.medical_expires_on = timezone.localdate(timezone=club.tz) - timedelta(days=3)
    pilot.save()

    # 07:00, the dispatcher's board: the 100-hour is near on F-GABC.
    desk = new_page(dispatcher)
    desk.goto(f"/o/{club.slug}/board/")
    row = desk.locator("section.board-row", has=desk.get_by_role("heading", name="F-GABC"))
    expect(row).to_contain_text("100-hour inspection: due in 5.0 h")

    # A booking for the pilot tomorrow is blocked by the lapsed medical; the dispatcher
    # overrides it with a reason, and the override is audited with the facts.
    tomorrow = timezone.localtime(now, club.tz).date() + timedelta(days=1)
    desk.goto(f"/o/{club.slug}/bookings/new/?aircraft={aircraft.pk}")
    desk.locator("#id_aircraft").select_option(str(aircraft.pk))
    desk.locator("#id_start").fill(f"{tomorrow.isoformat()}T10:00")
    desk.locator("#id_end").fill(f"{tomorrow.isoformat()}T11:00")
    desk.locator("#id_pic").select_option(str(pilot.pk))
    desk.get_by_role("button", name="Book", exact=True).click()
    expect(desk.locator("main")).to_contain_text("medical expired")
    desk.locator("#id_override_reason").fill("Renewed medical seen at the desk; the club file is late")
    desk.get_by_role("button", name="Book anyway").click()
    expect(desk.get_by_role("status")).to_contain_text("despite")
    later = Booking.objects.get(aircraft=aircraft, status="booked")
    override = AuditEvent.objects.get(action="booking.rules_overridden", target_id=str(later.pk))
    assert override.details["findings"][0]["code"] == "medical_expired"
    assert override.details["findings"][0]["facts"]["membership_id"] == pilot.pk

    # The aircraft comes back at 816.0 tach: past 805 + 10 h, so it grounds itself.
    desk.goto(f"/o/{club.slug}/bookings/{flying.pk}/")
    desk.locator("#id_hobbs_in").fill("1016.0")
    desk.locator("#id_tach_in").fill("816.0")
    desk.get_by_role("button", name="Check in").click()
    expect(desk.get_by_role("status")).to_contain_text("checked in")
    aircraft.refresh_from_db()
    assert aircraft.is_grounded and aircraft.grounded_by_maintenance
    desk.goto(f"/o/{club.slug}/board/?date={tomorrow.isoformat()}")
    row = desk.locator("section.board-row", has=desk.get_by_role("heading", name="F-GABC"))
    expect(row).to_contain_text("Grounded")
    expect(row).to_contain_text("overdue")

    # The mechanic signs it off: back in service, next due at 905 h (from the due point).
    shop = new_page(mechanic)
    shop.goto(f"/o/{club.slug}/maintenance/aircraft/{aircraft.pk}/")
    assert_no_serious_violations(shop)
    shop.get_by_role("link", name="Sign off 100-hour inspection").click()
    shop.locator("#id_done_hours").fill("816.0")
    shop.get_by_role("button", name="Sign off").click()
    aircraft.refresh_from_db()
    assert not aircraft.is_grounded
    assert MaintenanceItem.objects.get(aircraft=aircraft).next_due_hours == Decimal("905.0")
    shop.goto(f"/o/{club.slug}/maintenance/aircraft/{aircraft.pk}/")
    expect(shop.locator("main")).to_contain_text("905.0 h")

    # The pilot, on a phone, reports a deferred squawk with a photo.
    phone = new_page(pilot, width=390, height=844)
    phone.goto(f"/o/{club.slug}/maintenance/aircraft/{aircraft.pk}/squawks/new/")
    phone.locator("#id_description").fill("Landing light inoperative")
    phone.locator("#id_severity").select_option("deferred")
    phone.locator("#id_photo").set_input_files({"name": "light.png", "mimeType": "image/png", "buffer": _png()})
    assert_no_serious_violations(phone)
    phone.get_by_role("button", name="Report").click()
    expect(phone.locator("main")).to_contain_text("Landing light inoperative")
    assert Aircraft.objects.get(pk=aircraft.pk).status == "available"  # deferred: still flyable

    # Tomorrow's check-out lists it above the form.
    desk.goto(f"/o/{club.slug}/bookings/{later.pk}/")
    expect(desk.locator("section.deferred-squawks")).to_contain_text("Landing light inoperative")
