"""What the review and the attack on issue 14 found in maintenance, each a test that failed
first: corrections that rewound the hours, an annual overdue before the beat, sign-offs at
hours not flown, walk-ups that hid deferred squawks, photos kept as sent."""

import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from clubs.models import AuditEvent
from core.errors import Conflict, Invalid
from dispatch.models import BookingCrew
from dispatch.services.dispatching import booking_check_in, booking_check_out
from dispatch.services.fleet import aircraft_meters_correct
from maintenance.chain import hours_at
from maintenance.models import MaintenanceItem, Squawk
from maintenance.services.items import item_sign_off
from maintenance.services.squawks import squawk_report
from tests.conftest import client_for
from tests.maintenance.conftest import today_of

PIC = BookingCrew.Role.PIC


def test_a_check_out_correction_does_not_rewind_the_hours(book, aircraft, pilot, dispatcher, fly, hundred_hour):
    fly(aircraft, "855.0")  # due now: 850 + 10 h of tolerance
    now = timezone.now()
    booking = book(aircraft, now - timedelta(minutes=5), now + timedelta(hours=3), [(pilot, PIC)])
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs - 15, tach_out=D("840.0"),
                      correction_reason="Tach replaced")
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=aircraft.hobbs - 3, tach_in=D("852.0"))
    aircraft.refresh_from_db()
    assert hours_at(aircraft) == D("867.0")  # 855 + the 12 h flown on the new meter
    assert aircraft.is_grounded and aircraft.grounded_by_maintenance


def test_a_meter_correction_by_hand_does_not_release_a_grounding(admin, aircraft, fly, hundred_hour):
    fly(aircraft, "865.0")
    assert aircraft.is_grounded
    aircraft_meters_correct(actor=admin, aircraft=aircraft, hobbs=aircraft.hobbs, tach=D("800.0"), reason="New tach")
    aircraft.refresh_from_db()
    assert aircraft.is_grounded and hours_at(aircraft) == D("865.0")


def test_an_upward_correction_adds_the_hours_missed(admin, aircraft, fly, hundred_hour):
    fly(aircraft, "802.0")
    aircraft_meters_correct(actor=admin, aircraft=aircraft, hobbs=aircraft.hobbs, tach=D("820.0"),
                            reason="The last check-in was misread")
    assert hours_at(aircraft) == D("820.0")


def test_an_annual_overdue_before_the_beat_already_stops_a_check_out(club, book, aircraft, pilot, dispatcher, annual):
    now = timezone.now()
    booking = book(aircraft, now - timedelta(minutes=10), now + timedelta(hours=1), [(pilot, PIC)])
    # Midnight passed: the annual fell overdue, and the hourly beat has not looked yet.
    MaintenanceItem.objects.filter(pk=annual.pk).update(next_due_on=today_of(club) - timedelta(days=1))
    with pytest.raises(Conflict) as exc:
        booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    assert exc.value.code == "aircraft_grounded" and "Annual inspection: overdue" in exc.value.message
    with pytest.raises(Conflict) as exc:
        book(aircraft, now + timedelta(days=1), now + timedelta(days=1, hours=1), [(pilot, PIC)])
    assert exc.value.code == "aircraft_grounded"


def test_a_sign_off_at_hours_not_flown_is_refused(club, mechanic, aircraft, hundred_hour):
    with pytest.raises(Invalid) as exc:
        item_sign_off(actor=mechanic, item=hundred_hour, done_on=today_of(club), done_hours=D("900.0"))
    assert exc.value.code == "done_hours_beyond_meters"
    hundred_hour.refresh_from_db()
    assert hundred_hour.next_due_hours == D("850.0") and not hundred_hour.sign_offs.exists()


def test_a_walk_up_lists_the_deferred_squawks(club, aircraft, dispatcher, pilot):
    squawk_report(actor=pilot, aircraft=aircraft, description="Left nav light inop", severity="deferred")
    page = client_for(dispatcher).get(reverse("dispatch:walkup", args=[club.slug]) + f"?aircraft={aircraft.pk}")
    assert page.status_code == 200 and "Left nav light inop" in page.content.decode()
    assert "Deferred squawks on F-GABC" in page.content.decode()


def test_due_within_the_tolerance_is_told_at_check_out(book, aircraft, pilot, dispatcher, fly, hundred_hour):
    fly(aircraft, "853.0")
    now = timezone.now()
    booking = book(aircraft, now - timedelta(minutes=5), now + timedelta(hours=1), [(pilot, PIC)])
    booking = booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    found = [f for f in booking.rule_findings if f["stage"] == "check_out"]
    assert [f["code"] for f in found] == ["maintenance_due"] and "fly only to the inspection" in found[0]["message"]


def test_another_cause_changes_the_reason_without_a_second_status_event(club, aircraft, fly, hundred_hour, pilot):
    fly(aircraft, "865.0")
    before = AuditEvent.objects.filter(action="aircraft.grounded").count()
    squawk_report(actor=pilot, aircraft=aircraft, description="Cracked windscreen", severity="grounding")
    aircraft.refresh_from_db()
    assert aircraft.is_grounded and aircraft.grounded_reason.startswith("grounding squawk open")
    assert AuditEvent.objects.filter(action="aircraft.grounded").count() == before


def _upload(content: bytes, name="IMG_0001.jpg", kind="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=kind)


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (48.0, 51.0, 24.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_kept_under_a_name_of_ours_without_its_metadata(pilot, aircraft):
    data = _jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()  # the upload carries it
    squawk = squawk_report(actor=pilot, aircraft=aircraft, description="Dent", photo=_upload(data, "../../evil.html"))
    assert squawk.photo.name.startswith("squawks/") and squawk.photo.name.endswith(".jpg")
    assert "evil" not in squawk.photo.name
    with squawk.photo.open("rb") as stored:
        assert not Image.open(stored).getexif()


def test_a_phone_jpeg_with_a_preview_is_accepted(pilot, aircraft):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (8, 8), "red")])
    squawk = squawk_report(actor=pilot, aircraft=aircraft, description="Dent", photo=_upload(out.getvalue()))
    assert squawk.photo.name.endswith(".jpg")


def test_a_photo_of_too_many_pixels_is_refused(pilot, aircraft):
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG", optimize=True)
    assert len(out.getvalue()) < 100_000  # tiny on disk, 144 million pixels on a phone
    with pytest.raises(Invalid) as exc:
        squawk_report(actor=pilot, aircraft=aircraft, description="Dent", photo=_upload(out.getvalue(), "a.png", "image/png"))
    assert exc.value.code == "photo_too_large" and not Squawk.objects.exists()


@pytest.mark.parametrize("text", ["Nav light\x07out", "Esc\x1b[31m", "Form\x0cfeed"])
def test_a_squawk_with_control_characters_is_refused(pilot, aircraft, text):
    with pytest.raises(Invalid) as exc:
        squawk_report(actor=pilot, aircraft=aircraft, description=text)
    assert exc.value.code == "control_characters" and not Squawk.objects.exists()


def test_a_squawk_of_several_lines_is_text(pilot, aircraft):
    squawk = squawk_report(actor=pilot, aircraft=aircraft, description="Left brake soft\r\nand\tnoisy")
    assert "noisy" in squawk.description


def test_a_grounding_squawk_at_check_in_needs_its_words(book, aircraft, pilot, dispatcher):
    now = timezone.now()
    booking = book(aircraft, now - timedelta(hours=1), now, [(pilot, PIC)])
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    with pytest.raises(Invalid) as exc:
        booking_check_in(actor=dispatcher, booking=booking, hobbs_in=aircraft.hobbs + 1, tach_in=aircraft.tach + 1,
                         squawk_severity="grounding")
    assert exc.value.code == "squawk_required"
    booking.refresh_from_db()
    assert booking.status == "dispatched"


def test_the_fleet_page_offers_no_release_that_would_be_refused(club, aircraft, fly, hundred_hour, mechanic):
    fly(aircraft, "865.0")
    page = client_for(mechanic).get(reverse("dispatch:fleet", args=[club.slug])).content.decode()
    row = page.split("F-GABC</strong>")[1].split("</tr>")[0]
    assert "Release for service" not in row and "Maintenance holds it" in row
    assert reverse("maintenance:aircraft", args=[club.slug, aircraft.pk]) in row


def test_the_board_says_a_maintenance_grounding_once(club, aircraft, fly, hundred_hour, dispatcher):
    fly(aircraft, "865.0")
    aircraft.refresh_from_db()
    day = timezone.localtime(timezone.now(), club.tz).date().isoformat()
    page = client_for(dispatcher).get(reverse("dispatch:board", args=[club.slug]) + f"?date={day}").content.decode()
    head = page.split('id="ac-%d"' % aircraft.pk)[1].split('class="timeline"')[0]
    assert f"Grounded: {aircraft.grounded_reason}" in head and "maint-overdue" not in head
