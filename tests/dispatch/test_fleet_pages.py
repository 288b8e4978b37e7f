"""The fleet page, the aircraft page, adding, editing, retiring and reinstating aircraft."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dispatch.models import Aircraft, BookingCrew
from dispatch.services.dispatching import booking_check_in, booking_check_out
from dispatch.services.fleet import aircraft_retire
from flights.models import Flight
from tests.conftest import at, client_for

PIC = BookingCrew.Role.PIC


def _url(name, club, *args):
    return reverse(f"dispatch:{name}", args=[club.slug, *args])


def _flown(book, dispatcher, aircraft, pilot, day, squawks=""):
    booking = book(aircraft, at(day, 9), at(day, 10), [(pilot, PIC)])
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    aircraft.refresh_from_db()
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=aircraft.hobbs + 1, tach_in=aircraft.tach + 1,
                     squawks=squawks)
    aircraft.refresh_from_db()
    return booking


def _flight(club, aircraft, wiflight_id):
    return Flight.objects.create(organization=club, wiflight_id=wiflight_id, aircraft=aircraft, tail=aircraft.registration,
                                 start=timezone.now(), length_seconds=3600, engine_seconds=3600, airtime_seconds=3000,
                                 raw_document="<flight/>", source=Flight.Source.NOTIFICATION)


# --- adding and editing ---

def test_the_recorder_box_is_not_ticked_when_adding(admin, club):
    page = client_for(admin).get(_url("aircraft_new", club)).content.decode()
    box = re.search(r"<input[^>]*name=\"has_wiflight_recorder\"[^>]*>", page).group(0)
    assert "checked" not in box


def test_adding_takes_starting_meters_and_shows_the_aircraft(admin, club):
    r = client_for(admin).post(_url("aircraft_new", club), {
        "registration": "f-gnew", "aircraft_type": "Robin", "kind": "airplane", "hourly_rate": "140",
        "hobbs": "2345.6", "tach": "1987.1"}, follow=True)
    a = Aircraft.objects.get(registration="F-GNEW")
    assert (a.hobbs, a.tach, a.has_wiflight_recorder) == (Decimal("2345.6"), Decimal("1987.1"), False)
    assert r.redirect_chain[-1][0] == _url("aircraft", club, a.pk)
    assert "test the connection" not in r.content.decode()


def test_adding_one_with_a_recorder_advises_a_connection_test(admin, club):
    r = client_for(admin).post(_url("aircraft_new", club), {
        "registration": "F-GREC", "aircraft_type": "Robin", "kind": "airplane", "hourly_rate": "0",
        "has_wiflight_recorder": "on"}, follow=True)
    assert "test the connection" in r.content.decode()


def test_negative_starting_meter_is_shown_on_the_form(admin, club):
    r = client_for(admin).post(_url("aircraft_new", club), {
        "registration": "F-GNEW", "aircraft_type": "Robin", "kind": "airplane", "hourly_rate": "0", "hobbs": "-3"})
    assert r.status_code == 400 and not Aircraft.objects.exists()


def test_editing_offers_no_meters_and_ignores_them(admin, club, aircraft):
    client = client_for(admin)
    assert 'name="hobbs"' not in client.get(_url("aircraft_edit", club, aircraft.pk)).content.decode()
    client.post(_url("aircraft_edit", club, aircraft.pk), {
        "registration": "F-GABC", "aircraft_type": "Robin DR400", "kind": "airplane", "hourly_rate": "150",
        "hobbs": "5", "tach": "5"})
    aircraft.refresh_from_db()
    assert (aircraft.hobbs, aircraft.tach) == (Decimal("1000.0"), Decimal("800.0"))


# --- retiring ---

def test_admin_retires_from_the_aircraft_page_and_it_moves_to_retired(admin, club, aircraft, aircraft2):
    client = client_for(admin)
    r = client.post(_url("aircraft_retire", club, aircraft.pk), {"reason": "Sold"})
    assert r.status_code == 302 and r.url == _url("fleet", club)
    aircraft.refresh_from_db()
    assert aircraft.is_retired
    page = client.get(_url("fleet", club)).content.decode()
    active, retired = page.split("<h1>Fleet</h1>")[1].split('id="retired-heading"')
    assert "F-GXYZ" in active and "F-GABC" not in active and "F-GABC" in retired
    # Its history stays reachable.
    assert _url("aircraft", club, aircraft.pk) in retired
    assert client.get(_url("aircraft", club, aircraft.pk)).status_code == 200


def test_retiring_with_bookings_left_says_which(admin, club, aircraft, booking):
    r = client_for(admin).post(_url("aircraft_retire", club, aircraft.pk), {"reason": ""}, follow=True)
    assert "still has bookings to fly: Mon 10 Jun 09:00–11:00" in r.content.decode()
    aircraft.refresh_from_db()
    assert not aircraft.is_retired


def test_reinstate_from_the_aircraft_page(admin, club, aircraft):
    aircraft_retire(actor=admin, aircraft=aircraft)
    client = client_for(admin)
    page = client.get(_url("aircraft", club, aircraft.pk)).content.decode()
    assert "Reinstate" in page and _url("aircraft_retire", club, aircraft.pk) not in page
    client.post(_url("aircraft_reinstate", club, aircraft.pk))
    aircraft.refresh_from_db()
    assert not aircraft.is_retired


@pytest.mark.parametrize("persona", ["dispatcher", "mechanic", "pilot"])
def test_only_admins_see_and_use_retire(persona, request, club, aircraft):
    client = client_for(request.getfixturevalue(persona))
    assert _url("aircraft_retire", club, aircraft.pk) not in client.get(_url("aircraft", club, aircraft.pk)).content.decode()
    assert client.post(_url("aircraft_retire", club, aircraft.pk)).status_code == 404
    aircraft.refresh_from_db()
    assert not aircraft.is_retired


def test_another_clubs_aircraft_is_not_found(outsider, club, other_club, aircraft):
    client = client_for(outsider)
    assert client.get(_url("aircraft", other_club, aircraft.pk)).status_code == 404
    assert client.post(_url("aircraft_retire", other_club, aircraft.pk)).status_code == 404
    aircraft.refresh_from_db()
    assert not aircraft.is_retired


# --- squawks ---

def test_squawks_show_on_the_aircraft_page_with_date_who_and_booking(dispatcher, pilot, club, aircraft, book):
    old = _flown(book, dispatcher, aircraft, pilot, 10, squawks="Left brake soft")
    _flown(book, dispatcher, aircraft, pilot, 11)
    new = _flown(book, dispatcher, aircraft, pilot, 12, squawks="Nav light <out>")
    page = client_for(dispatcher).get(_url("aircraft", club, aircraft.pk)).content.decode()
    squawks = page.split('id="squawks-heading"')[1].split('id="bookings-heading"')[0]
    assert squawks.index("Nav light &lt;out&gt;") < squawks.index("Left brake soft")
    assert squawks.count("<tr>") == 3  # the header and two squawks: the quiet check-in is not one
    assert "Dispatcher" in squawks
    assert _url("booking", club, new.pk) in squawks and _url("booking", club, old.pk) in squawks
    assert "1003.0" in page  # the meters as of the last check-in


def test_the_fleet_page_shows_the_latest_squawk_and_the_open_count(dispatcher, pilot, club, aircraft, aircraft2, book):
    _flown(book, dispatcher, aircraft, pilot, 10, squawks="Left brake soft")
    _flown(book, dispatcher, aircraft, pilot, 11, squawks="Oil on the cowling")
    page = client_for(pilot).get(_url("fleet", club)).content.decode()
    row = page.split("F-GABC</strong>")[1].split("</tr>")[0]
    assert "Oil on the cowling" in row and "Left brake soft" not in row and "2 open" in row
    assert _url("aircraft", club, aircraft.pk) + "#squawks" in row
    assert "None open" in page.split("F-GXYZ</strong>")[1].split("</tr>")[0]


def test_a_pilot_sees_squawks_but_only_their_own_bookings(pilot, pilot2, dispatcher, club, aircraft, book):
    _flown(book, dispatcher, aircraft, pilot2, 10, squawks="Left brake soft")
    theirs = book(aircraft, at(13, 9), at(13, 10), [(pilot2, PIC)])
    mine = book(aircraft, at(14, 9), at(14, 10), [(pilot, PIC)])
    page = client_for(pilot).get(_url("aircraft", club, aircraft.pk)).content.decode()
    assert "Left brake soft" in page
    assert _url("booking", club, mine.pk) in page and _url("booking", club, theirs.pk) not in page


def test_one_flight_is_one_flight(dispatcher, club, aircraft, aircraft2):
    _flight(club, aircraft, "1")
    for n in ("2", "3"):
        _flight(club, aircraft2, n)
    page = client_for(dispatcher).get(_url("fleet", club)).content.decode()
    assert "1 flight ·" in page and "1 flights" not in page and "2 flights ·" in page


def _fleet_queries(client, club) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_url("fleet", club)).status_code == 200
    return len(ctx.captured_queries)


def test_the_fleet_page_query_count_does_not_grow_with_the_fleet(admin, dispatcher, pilot, club, aircraft, book):
    _flown(book, dispatcher, aircraft, pilot, 10, squawks="one")
    _flight(club, aircraft, "1")
    client = client_for(admin)
    small = _fleet_queries(client, club)
    for i in range(5):
        a = Aircraft.objects.create(organization=club, registration=f"F-GQ{i:02d}", aircraft_type="DR400")
        _flown(book, dispatcher, a, pilot, 11 + i, squawks=f"squawk {i}")
        _flight(club, a, f"x{i}")
        if i % 2:
            aircraft_retire(actor=admin, aircraft=a)
    assert _fleet_queries(client, club) == small


def test_admin_corrects_the_meters_from_the_aircraft_page(admin, club, aircraft):
    client = client_for(admin)
    assert _url("aircraft_meters", club, aircraft.pk) in client.get(_url("aircraft", club, aircraft.pk)).content.decode()
    assert client.post(_url("aircraft_meters", club, aircraft.pk), {"hobbs": "5", "tach": "4"}).status_code == 400
    r = client.post(_url("aircraft_meters", club, aircraft.pk), {"hobbs": "5", "tach": "4", "reason": "New meter"})
    assert r.status_code == 302
    aircraft.refresh_from_db()
    assert (aircraft.hobbs, aircraft.tach) == (Decimal("5.0"), Decimal("4.0"))


def test_the_meters_page_is_for_admins(dispatcher, club, aircraft):
    assert client_for(dispatcher).get(_url("aircraft_meters", club, aircraft.pk)).status_code == 404
