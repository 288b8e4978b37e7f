"""Flight pages: who sees what (404 otherwise), the club list, the flight page (track picture
from the cached track, KML, playback link), the booking page, the flight log."""

import pytest
from lxml import etree

from flights.models import LogbookEntry
from integrations.wiflight.flight_services import flight_ingest
from flights.models import Flight, FlightTrack
from integrations.wiflight.xml import parse_flight_xml
from clubs.models import AuditEvent
from tests.conftest import at
from tests.wiflight.flight_docs import flight_element
from tests.wiflight.flight_fixtures import notify_conn, reservation_for  # noqa: F401 - fixture


def ingest(club, flight_id, start, reservation_name=None, tail="F-GABC"):
    raw = etree.tostring(flight_element(flight_id=flight_id, tail=tail, start=start))
    return flight_ingest(organization_id=club.pk, document=parse_flight_xml(raw), raw=raw.decode(),
                         reservation_name=reservation_name, source=Flight.Source.NOTIFICATION)


@pytest.fixture
def flight(club, booking, notify_conn):
    f = ingest(club, "42", at(10, 9, 5), reservation_for(booking))
    points = [[t, 48.75 + t / 36000, 2.1 + t / 36000, 100 + t / 10, 0, 50, 0, 0, 1, 2400] for t in range(0, 3601, 60)]
    FlightTrack.objects.create(flight=f, points=points)
    return f


DISPATCH_PAGES = {"fleet", "booking", "my_bookings", "board"}


def url(club, name, *args):
    from django.urls import reverse

    app = "dispatch" if name in DISPATCH_PAGES else "flights"
    return reverse(f"{app}:{name}", args=[club.slug, *args])


@pytest.mark.parametrize("persona,status", [
    ("pilot", 200), ("dispatcher", 200), ("admin", 200), ("mechanic", 200),
    ("pilot2", 404), ("outsider", 404),
])
def test_who_sees_a_flight(request, as_user, club, flight, persona, status):
    member = request.getfixturevalue(persona)
    assert as_user(member).get(url(club, "flight", flight.pk)).status_code == status
    assert as_user(member).get(url(club, "flight_kml", flight.pk)).status_code == status


def test_instructor_sees_students_flights_not_others(as_user, club, book, aircraft, student, instructor, pilot, notify_conn):
    b = book(aircraft, at(11, 9), at(11, 11), [(student, "pic")])
    theirs = ingest(club, "s1", at(11, 9, 5), reservation_for(b))
    other = ingest(club, "p1", at(12, 9, 5), "x@tac.example.com")
    other.crew.create(membership=pilot, wiflight_username="pilot@tac.example.com")
    client = as_user(instructor)
    assert client.get(url(club, "flight", theirs.pk)).status_code == 200
    assert client.get(url(club, "flight", other.pk)).status_code == 404


def test_the_club_list_needs_a_club_wide_role(as_user, club, pilot, dispatcher, flight):
    assert as_user(pilot).get(url(club, "flight_list")).status_code == 404
    assert as_user(dispatcher).get(url(club, "flight_list")).status_code == 200


def test_flight_page_shows_times_crew_events_picture_and_playback(as_user, club, flight, pilot, settings):
    response = as_user(pilot).get(url(club, "flight", flight.pk))
    html = response.content.decode()
    assert "Pilot" in html and "Takeoff at LFPN" in html and "Landing at LFPN" in html
    assert html.count("<svg") == 2 and "<polyline points=" in html
    playback = response.context["playback_url"]
    assert playback.startswith("http://127.0.0.1:9/auth/openid_enter?openid=")
    assert "url=%2Fflightview%2F42" in playback and 'href="http://127.0.0.1:9/auth/openid_enter' in html


def test_kml_is_generated_from_the_stored_track(as_user, club, flight, pilot):
    response = as_user(pilot).get(url(club, "flight_kml", flight.pk))
    assert response["Content-Type"] == "application/vnd.google-earth.kml+xml"
    root = etree.fromstring(response.content)
    coords = root.findtext(".//{http://www.opengis.net/kml/2.2}coordinates").split()
    assert len(coords) == 61 and coords[0] == "2.100000,48.750000,100.0"


@pytest.mark.parametrize("legacy_id,filename", [("12\r\nX: y", "flight-12-x-y.kml"), ('a"b', "flight-ab.kml"),
                                                 ("é/../;", "flight-e.kml"), ("\r\n", None)])
def test_kml_of_a_flight_with_an_odd_legacy_id_downloads_under_a_safe_name(as_user, club, flight, pilot,
                                                                           legacy_id, filename):
    # Stored before ids were checked at ingest (integrations/wiflight/xml.py).
    Flight.objects.filter(pk=flight.pk).update(wiflight_id=legacy_id)
    response = as_user(pilot).get(url(club, "flight_kml", flight.pk))
    assert response.status_code == 200
    expected = filename or f"flight-{flight.pk}.kml"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


def test_club_list_filters_and_pages(as_user, club, dispatcher, aircraft, aircraft2, pilot, flight):
    for i in range(60):
        ingest(club, f"x{i}", at(12, 8) if i % 2 else at(13, 8), tail="F-GXYZ")
    client = as_user(dispatcher)
    page = client.get(url(club, "flight_list")).context["page"]
    assert page.paginator.count == 61 and len(page.object_list) == 50
    assert client.get(url(club, "flight_list") + "?page=2").context["page"].object_list.__len__() == 11
    assert client.get(url(club, "flight_list") + f"?aircraft={aircraft.pk}").context["page"].paginator.count == 1
    assert client.get(url(club, "flight_list") + "?from=2030-06-13&to=2030-06-13").context["page"].paginator.count == 30
    assert client.get(url(club, "flight_list") + f"?member={pilot.pk}").context["page"].paginator.count == 1


def test_my_flights_and_my_bookings_show_my_recent_flights(as_user, club, flight, pilot, pilot2):
    assert [f.pk for f in as_user(pilot).get(url(club, "my_flights")).context["flights"]] == [flight.pk]
    assert [f.pk for f in as_user(pilot).get(url(club, "my_bookings")).context["recent_flights"]] == [flight.pk]
    assert list(as_user(pilot2).get(url(club, "my_flights")).context["flights"]) == []


def test_aircraft_page_and_fleet_totals(as_user, club, flight, aircraft, mechanic, pilot):
    response = as_user(mechanic).get(url(club, "aircraft_flights", aircraft.pk))
    assert response.context["totals"].flights == 1 and response.context["totals"].engine_hours == 1.0
    fleet = as_user(mechanic).get(url(club, "fleet")).content.decode()
    assert "1 flight · 0.8 h air · 1.0 h engine" in fleet
    assert as_user(pilot).get(url(club, "aircraft_flights", aircraft.pk)).context["totals"] is None


def test_booking_page_lists_flights_and_prefills_check_in(as_user, club, flight, booking, dispatcher, aircraft):
    from dispatch.services.dispatching import booking_check_out

    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    response = as_user(dispatcher).get(url(club, "booking", booking.pk))
    assert list(response.context["flown"].flights) == [flight]
    assert response.context["checkin_form"].initial["hobbs_in"] == aircraft.hobbs + 1


def test_large_hobbs_difference_is_flagged_for_the_dispatcher(as_user, club, flight, booking, dispatcher, aircraft):
    from dispatch.services.dispatching import booking_check_in, booking_check_out

    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=aircraft.hobbs + 2, tach_in=aircraft.tach + 2)
    assert "hobbs-flag" in as_user(dispatcher).get(url(club, "booking", booking.pk)).content.decode()


def test_pilot_completes_the_log_entry_until_it_is_billed(as_user, club, flight, pilot, admin, pilot2):
    entry = LogbookEntry.objects.get(membership=pilot)
    form = {"landings": 3, "approaches": 2, "remarks": "Touch and goes"}
    assert as_user(pilot).post(url(club, "logbook_entry", entry.pk), form).status_code == 302
    entry.refresh_from_db()
    assert (entry.landings, entry.approaches, entry.remarks) == (3, 2, "Touch and goes") and entry.completed_at
    assert as_user(pilot2).get(url(club, "logbook_entry", entry.pk)).status_code == 404
    assert as_user(pilot).post(url(club, "logbook_billed", entry.pk)).status_code == 404
    assert as_user(admin).post(url(club, "logbook_billed", entry.pk)).status_code == 302
    entry.refresh_from_db()
    assert entry.is_billed
    response = as_user(pilot).post(url(club, "logbook_entry", entry.pk), {**form, "remarks": "changed"})
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.remarks == "Touch and goes"
    assert as_user(admin).post(url(club, "logbook_entry", entry.pk), {**form, "remarks": "fixed"}).status_code == 302
    entry.refresh_from_db()
    assert entry.remarks == "fixed"
    audit = AuditEvent.objects.get(action="logbook.changed")
    assert audit.details["before"]["remarks"] == "Touch and goes" and "after billing" in audit.summary


def test_an_unreachable_wiflight_never_stalls_the_flight_page(as_user, club, flight, pilot, monkeypatch):
    from integrations.wiflight import tasks

    FlightTrack.objects.filter(flight=flight).delete()
    asked = []
    monkeypatch.setattr(tasks.fetch_track, "delay", lambda flight_id: asked.append(flight_id))
    page = as_user(pilot).get(url(club, "flight", flight.pk))
    assert page.status_code == 200 and "being fetched from Wi-Flight" in page.content.decode()
    kml = as_user(pilot).get(url(club, "flight_kml", flight.pk))
    assert kml.status_code == 503 and kml["Retry-After"] == "10"
    assert asked == [flight.pk, flight.pk]
