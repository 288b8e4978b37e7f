"""The maintenance pages: who sees and does what, bad input refused with nothing changed,
photos streamed only to the club, and the fleet page's queries flat in the fleet's size."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from dispatch.models import Aircraft
from maintenance import chain
from maintenance.models import MaintenanceItem, SignOff, Squawk
from maintenance.services.items import ItemInput, item_create
from maintenance.services.squawks import squawk_report
from tests.conftest import client_for, make_member
from tests.maintenance.conftest import today_of

D = Decimal


def _url(name, club, *args):
    return reverse(f"maintenance:{name}", args=[club.slug, *args])


def _png(size=(8, 8), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def _item_form(**extra):
    return {"kind": "hundred_hour", "name": "", "interval_hours": "100", "interval_months": "", "tolerance_hours": "10",
            "due_soon_hours": "10", "due_soon_days": "30", "next_due_hours": "850", "next_due_on": "",
            "grounds_when_overdue": "on", **extra}


@pytest.fixture
def viewer(club):
    return make_member(club, "viewer", is_viewer=True)


def test_every_member_sees_the_aircraft_page_and_outsiders_do_not(pilot, viewer, mechanic, outsider, club, aircraft,
                                                                   hundred_hour):
    for member in (pilot, viewer, mechanic):
        page = client_for(member).get(_url("aircraft", club, aircraft.pk))
        assert page.status_code == 200
        assert "100-hour inspection: due in 50.0 h" in page.content.decode()
    assert client_for(outsider).get(_url("aircraft", club, aircraft.pk)).status_code == 404


def test_only_maintenance_and_admins_keep_items(pilot, viewer, admin, mechanic, club, aircraft, hundred_hour):
    for member in (pilot, viewer):
        client = client_for(member)
        assert client.get(_url("item_new", club, aircraft.pk)).status_code == 404
        assert client.post(_url("item_sign_off", club, hundred_hour.pk), {"done_on": "2026-01-01"}).status_code == 404
        assert 'href="' + _url("item_sign_off", club, hundred_hour.pk) not in client.get(
            _url("aircraft", club, aircraft.pk)).content.decode()
    for member in (admin, mechanic):
        assert client_for(member).get(_url("item_new", club, aircraft.pk)).status_code == 200
    assert not SignOff.objects.exists()


def test_a_mechanic_adds_an_item_from_a_preset(mechanic, club, aircraft):
    client = client_for(mechanic)
    form = client.get(_url("item_new", club, aircraft.pk), {"kind": "annual"}).content.decode()
    assert 'value="12"' in form  # the annual's months, prefilled
    r = client.post(_url("item_new", club, aircraft.pk), _item_form())
    assert r.status_code == 302
    item = MaintenanceItem.objects.get()
    assert (item.name, item.next_due_hours, item.tolerance_hours) == ("100-hour inspection", D("850.0"), D("10.0"))


@pytest.mark.parametrize("bad", [{"interval_hours": "lots"}, {"next_due_hours": "-5"}, {"interval_hours": "1e400"},
                                 {"interval_hours": "", "interval_months": ""}, {"next_due_hours": ""},
                                 {"interval_months": "999"}, {"due_soon_days": "x"}])
def test_garbage_numbers_are_a_clear_error_and_change_nothing(mechanic, club, aircraft, bad):
    r = client_for(mechanic).post(_url("item_new", club, aircraft.pk), _item_form(**bad))
    assert r.status_code == 400
    assert r.context["form"].errors
    assert not MaintenanceItem.objects.exists()


def test_the_sign_off_form_defaults_to_the_hours_now_and_moves_the_due_point(mechanic, club, aircraft, hundred_hour):
    client = client_for(mechanic)
    form = client.get(_url("item_sign_off", club, hundred_hour.pk)).content.decode()
    assert 'value="800.0"' in form
    r = client.post(_url("item_sign_off", club, hundred_hour.pk), {"done_on": today_of(club).isoformat(),
                                                                   "done_hours": "845.0", "notes": "All good"})
    assert r.status_code == 400 and "has flown 800.0 h" in r.content.decode()  # hours not flown yet
    r = client.post(_url("item_sign_off", club, hundred_hour.pk), {"done_on": today_of(club).isoformat(),
                                                                   "done_hours": "795.0", "notes": "All good"})
    assert r.status_code == 302
    hundred_hour.refresh_from_db()
    assert hundred_hour.next_due_hours == D("895.0")  # done early: from the hours it was done at
    future = (today_of(club) + timedelta(days=2)).isoformat()
    r = client.post(_url("item_sign_off", club, hundred_hour.pk), {"done_on": future, "done_hours": "846"})
    assert r.status_code == 400 and "today or earlier" in r.content.decode()
    assert SignOff.objects.count() == 1


def test_a_pilot_reports_a_squawk_with_a_photo_but_a_viewer_cannot(pilot, viewer, club, aircraft):
    assert client_for(viewer).get(_url("squawk_new", club, aircraft.pk)).status_code == 404
    photo = SimpleUploadedFile("brake.png", _png(), content_type="image/png")
    r = client_for(pilot).post(_url("squawk_new", club, aircraft.pk),
                               {"description": "Left brake soft", "severity": "deferred", "photo": photo})
    assert r.status_code == 302
    squawk = Squawk.objects.get()
    assert (squawk.severity, squawk.reported_by, bool(squawk.photo)) == ("deferred", pilot.user, True)
    listing = client_for(viewer).get(_url("squawks", club)).content.decode()
    assert "Left brake soft" in listing and _url("squawk_photo", club, squawk.pk) in listing


@pytest.mark.parametrize("upload, code_words", [
    (SimpleUploadedFile("notes.png", b"this is not an image, just text\n" * 10, content_type="image/png"),
     "not a JPEG, PNG or WebP"),
    (SimpleUploadedFile("huge.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024), content_type="image/png"), "over 5 MB"),
    (SimpleUploadedFile("anim.gif", None, content_type="image/gif"), ""),
])
def test_a_bad_photo_is_a_clear_error_and_files_nothing(pilot, club, aircraft, upload, code_words):
    if upload.name == "anim.gif":
        upload = SimpleUploadedFile("anim.gif", _png(fmt="GIF"), content_type="image/gif")
        code_words = "not a JPEG, PNG or WebP"
    r = client_for(pilot).post(_url("squawk_new", club, aircraft.pk),
                               {"description": "Scratch", "severity": "minor", "photo": upload})
    assert r.status_code == 400
    assert code_words in r.content.decode()
    assert not Squawk.objects.exists()
    aircraft.refresh_from_db()
    assert not aircraft.is_grounded


def test_the_photo_streams_to_the_club_only(pilot, viewer, outsider, club, other_club, aircraft):
    photo = SimpleUploadedFile("evil.html", _png(), content_type="text/html")  # its name says nothing
    squawk = squawk_report(actor=pilot, aircraft=aircraft, description="Crack", photo=photo)
    r = client_for(viewer).get(_url("squawk_photo", club, squawk.pk))
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("inline")
    assert b"".join(r.streaming_content).startswith(b"\x89PNG")
    assert client_for(outsider).get(_url("squawk_photo", club, squawk.pk)).status_code == 404
    # Nor through the outsider's own club's address.
    assert client_for(outsider).get(reverse("maintenance:squawk_photo", args=[other_club.slug, squawk.pk])).status_code == 404


def test_clearing_and_deferring_need_maintenance_and_a_note(pilot, mechanic, club, aircraft):
    squawk = squawk_report(actor=pilot, aircraft=aircraft, description="Oil leak", severity="grounding")
    assert client_for(pilot).post(_url("squawk_clear", club, squawk.pk), {"clear-note": "Fixed"}).status_code == 404
    client = client_for(mechanic)
    r = client.post(_url("squawk_rate", club, squawk.pk), {"rate-severity": "deferred", "rate-note": ""})
    assert r.status_code == 400
    squawk.refresh_from_db()
    assert squawk.severity == "grounding"
    r = client.post(_url("squawk_rate", club, squawk.pk), {"rate-severity": "deferred", "rate-note": "Within limits"})
    assert r.status_code == 302
    aircraft.refresh_from_db()
    assert not aircraft.is_grounded
    r = client.post(_url("squawk_clear", club, squawk.pk), {"clear-note": "Gasket replaced"})
    assert r.status_code == 302
    squawk.refresh_from_db()
    assert squawk.status == "cleared" and squawk.cleared_by == mechanic.user
    r = client.post(_url("squawk_clear", club, squawk.pk), {"clear-note": "Again"})
    assert r.status_code == 400 and "already cleared" in r.content.decode()


def test_the_fleet_page_shows_hours_the_worst_item_and_open_squawks(pilot, mechanic, club, aircraft, aircraft2,
                                                                   hundred_hour, annual):
    squawk_report(actor=pilot, aircraft=aircraft, description="Nav light out")
    MaintenanceItem.objects.filter(pk=hundred_hour.pk).update(next_due_hours=D("804.2"))
    page = client_for(pilot).get(reverse("dispatch:fleet", args=[club.slug])).content.decode()
    row = page.split("F-GABC</strong>")[1].split("</tr>")[0]
    assert "800.0 h" in row and "100-hour inspection: due in 4.2 h" in row and "Due soon" in row
    assert "1 open" in row and "Nav light out" in row and _url("aircraft", club, aircraft.pk) in row
    other = page.split("F-GXYZ</strong>")[1].split("</tr>")[0]
    assert "No items kept" in other and "None open" in other


def test_the_aircraft_page_links_to_maintenance_and_the_squawk_form(pilot, club, aircraft, hundred_hour):
    MaintenanceItem.objects.filter(pk=hundred_hour.pk).update(next_due_hours=D("795.0"))
    page = client_for(pilot).get(reverse("dispatch:aircraft", args=[club.slug, aircraft.pk])).content.decode()
    assert _url("aircraft", club, aircraft.pk) in page and _url("squawk_new", club, aircraft.pk) in page
    assert "100-hour inspection: 5.0 h past due (fly only to the inspection)" in page


def test_the_board_notes_what_is_due(dispatcher, club, aircraft, aircraft2, hundred_hour):
    MaintenanceItem.objects.filter(pk=hundred_hour.pk).update(next_due_hours=D("805.0"))
    page = client_for(dispatcher).get(reverse("dispatch:board", args=[club.slug])).content.decode()
    assert '<span class="badge maint-due_soon">100-hour inspection: due in 5.0 h</span>' in page
    assert "Maintenance: an inspection due soon" in page  # the legend says what the badge means


def _fleet_queries(client, club) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dispatch:fleet", args=[club.slug])).status_code == 200
    return len(ctx.captured_queries)


def _add_aircraft(club, mechanic, pilot, n):
    for i in range(n):
        a = Aircraft.objects.create(organization=club, registration=f"F-GQ{Aircraft.objects.count():02d}",
                                    aircraft_type="DR400", tach=D("100"))
        item_create(actor=mechanic, aircraft=a, data=ItemInput(kind="hundred_hour", name="100-hour",
                                                               interval_hours=D("100"), next_due_hours=D("105")))
        squawk_report(actor=pilot, aircraft=a, description=f"squawk {i}", severity="deferred")


def test_the_fleet_page_queries_do_not_grow_with_the_fleet(admin, mechanic, pilot, club):
    _add_aircraft(club, mechanic, pilot, 3)
    client = client_for(admin)
    small = _fleet_queries(client, club)
    _add_aircraft(club, mechanic, pilot, 9)
    assert _fleet_queries(client, club) == small


def _board_queries(client, club) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dispatch:board", args=[club.slug])).status_code == 200
    return len(ctx.captured_queries)


def test_the_board_queries_do_not_grow_with_the_fleet(dispatcher, mechanic, pilot, club):
    _add_aircraft(club, mechanic, pilot, 3)
    client = client_for(dispatcher)
    small = _board_queries(client, club)
    _add_aircraft(club, mechanic, pilot, 9)
    page = client.get(reverse("dispatch:board", args=[club.slug])).content.decode()
    assert page.count("badge maint-due_soon") == 12 + 1  # every row, and the legend
    assert _board_queries(client, club) == small


def test_a_mechanic_edits_and_stops_tracking_an_item_with_a_reason(mechanic, club, aircraft, hundred_hour):
    client = client_for(mechanic)
    assert client.get(_url("item_edit", club, hundred_hour.pk)).status_code == 200
    r = client.post(_url("item_edit", club, hundred_hour.pk), _item_form(name="100 h", next_due_hours="900"))
    assert r.status_code == 302
    hundred_hour.refresh_from_db()
    assert (hundred_hour.name, hundred_hour.next_due_hours) == ("100 h", D("900.0"))
    assert client.post(_url("item_remove", club, hundred_hour.pk), {"reason": ""}).status_code == 400
    assert client.post(_url("item_remove", club, hundred_hour.pk), {"reason": "Sold the engine"}).status_code == 302
    hundred_hour.refresh_from_db()
    assert not hundred_hour.is_active
    assert client.get(_url("item_edit", club, hundred_hour.pk)).status_code == 404


def test_the_chain_on_the_aircraft_page_flags_readings_out_of_order(pilot, club, aircraft):
    chain.record(aircraft=aircraft, at=timezone.now() - timedelta(days=2), source="check_in", hobbs=D("1010"),
                 tach=D("810"))
    chain.record(aircraft=aircraft, at=timezone.now() - timedelta(days=1), source="check_out", hobbs=D("1005"),
                 tach=D("805"))
    page = client_for(pilot).get(_url("aircraft", club, aircraft.pk)).content.decode()
    chain_part = page.split('id="chain-heading"')[1]
    assert chain_part.count("Out of order</strong>") == 1 and "below the check-in of" in chain_part
