"""Chapter 6: fuzzy matching, domains, tie-breaks, permanence, deletion after a match."""

from django.test import Client

from wiflight_sim.models import FlightMatch, Reservation
from wiflight_sim.services.flights import flight_record
from wiflight_sim.tests.conftest import login, put, reservation_xml, utc


def fly(start, minutes, tail="C-ABCD"):
    flight, _ = flight_record(tail=tail, start=start, duration=minutes * 60)
    return flight


def matched(flight) -> set[str]:
    return set(FlightMatch.objects.filter(flight=flight).values_list("reservation__name", flat=True))


def reserve(client, name, start, end, **kw):
    response = put(client, name, reservation_xml(name, start=start, end=end, **kw))
    assert response.status_code in (200, 201), response.content
    return response


def test_flight_returning_a_little_late_still_matches(admin_client):
    reserve(admin_client, "r1@example.com", "20260301T100000Z", "20260301T110000Z")
    assert matched(fly(utc(2026, 3, 1, 10, 10), 55)) == {"r1@example.com"}  # ends 11:05


def test_flight_wholly_within_tolerance_after_end_matches(admin_client):
    reserve(admin_client, "r1@example.com", "20260301T100000Z", "20260301T110000Z")
    assert matched(fly(utc(2026, 3, 1, 11, 20), 30)) == {"r1@example.com"}


def test_flight_beyond_tolerance_does_not_match(admin_client):
    reserve(admin_client, "r1@example.com", "20260301T100000Z", "20260301T110000Z")
    assert matched(fly(utc(2026, 3, 1, 11, 31), 30)) == set()
    assert matched(fly(utc(2026, 3, 1, 8, 50), 30)) == set()  # ends 09:20, 40 min before


def test_other_aircraft_does_not_match(admin_client, admin):
    from wiflight_sim.services.accounts import aircraft_configure

    aircraft_configure(tail="C-EFGH", model="C152", fleet_name="Example")
    reserve(admin_client, "r1@example.com", "20260301T100000Z", "20260301T110000Z")
    assert matched(fly(utc(2026, 3, 1, 10), 60, tail="C-EFGH")) == set()


def test_same_domain_late_flight_takes_the_first_booking_only(admin_client):
    # The document's example: 14:00-15:00 and 15:00-16:00, a flight 14:10-15:10.
    reserve(admin_client, "a@example.com", "20260301T140000Z", "20260301T150000Z", domain="club")
    reserve(admin_client, "b@example.com", "20260301T150000Z", "20260301T160000Z", domain="club")
    assert matched(fly(utc(2026, 3, 1, 14, 10), 60)) == {"a@example.com"}


def test_different_domains_match_independently(admin_client):
    reserve(admin_client, "book@example.com", "20260301T140000Z", "20260301T150000Z", domain="booking")
    reserve(admin_client, "mx@example.com", "20260101T000000Z", "20301231T000000Z", domain="maintenance")
    assert matched(fly(utc(2026, 3, 1, 14, 10), 40)) == {"book@example.com", "mx@example.com"}


def test_tie_break_prefers_shorter_reservation_then_earlier_start_then_name(admin_client):
    # Equal overlap (the whole flight): the tighter booking beats the all-day one.
    reserve(admin_client, "allday@example.com", "20260301T000000Z", "20260302T000000Z", domain="d")
    reserve(admin_client, "slot@example.com", "20260301T100000Z", "20260301T120000Z", domain="d")
    assert matched(fly(utc(2026, 3, 1, 10, 30), 30)) == {"slot@example.com"}
    # Equal overlap and span: earlier start wins.
    reserve(admin_client, "early@example.com", "20260302T095000Z", "20260302T115000Z", domain="e")
    reserve(admin_client, "late@example.com", "20260302T100000Z", "20260302T120000Z", domain="e")
    assert matched(fly(utc(2026, 3, 2, 10, 30), 30)) == {"early@example.com"}
    # Everything equal: the smaller name wins.
    reserve(admin_client, "zz@example.com", "20260303T100000Z", "20260303T120000Z", domain="f")
    reserve(admin_client, "aa@example.com", "20260303T100000Z", "20260303T120000Z", domain="f")
    assert matched(fly(utc(2026, 3, 3, 10, 30), 30)) == {"aa@example.com"}


def test_larger_overlap_wins(admin_client):
    reserve(admin_client, "a@example.com", "20260301T090000Z", "20260301T103000Z", domain="g")
    reserve(admin_client, "b@example.com", "20260301T103000Z", "20260301T120000Z", domain="g")
    assert matched(fly(utc(2026, 3, 1, 10, 15), 60)) == {"b@example.com"}  # 15 min vs 45 min


def test_reservation_created_after_the_flight_matches_it(admin_client):
    flight = fly(utc(2026, 3, 1, 10), 60)
    assert matched(flight) == set()
    reserve(admin_client, "late@example.com", "20260301T100000Z", "20260301T110000Z")
    assert matched(flight) == {"late@example.com"}


def test_changed_reservation_picks_up_a_flight(admin_client):
    reserve(admin_client, "r1@example.com", "20260301T060000Z", "20260301T070000Z")
    flight = fly(utc(2026, 3, 1, 10), 60)
    assert matched(flight) == set()
    reserve(admin_client, "r1@example.com", "20260301T100000Z", "20260301T110000Z")
    assert matched(flight) == {"r1@example.com"}


def test_existing_match_does_not_move(admin_client):
    reserve(admin_client, "first@example.com", "20260301T080000Z", "20260301T120000Z", domain="d")
    flight = fly(utc(2026, 3, 1, 10), 60)
    reserve(admin_client, "better@example.com", "20260301T100000Z", "20260301T110000Z", domain="d")
    assert matched(flight) == {"first@example.com"}
    # Moving the matched reservation away keeps the match too (matches are permanent).
    reserve(admin_client, "first@example.com", "20270101T080000Z", "20270101T120000Z", domain="d")
    assert matched(flight) == {"first@example.com"}


def test_reservation_matches_many_flights(admin_client):
    reserve(admin_client, "day@example.com", "20260301T080000Z", "20260301T180000Z")
    flights = [fly(utc(2026, 3, 1, h), 50) for h in (9, 11, 14)]
    assert all(matched(f) == {"day@example.com"} for f in flights)


def test_delete_after_match_is_409_and_keeps_reservation(admin_client):
    reserve(admin_client, "r1@example.com", "20260301T100000Z", "20260301T110000Z")
    fly(utc(2026, 3, 1, 10), 60)
    response = admin_client.delete("/a/reservation/r1@example.com")
    assert response.status_code == 409
    assert response.reason_phrase == "Reservation has matched flights"
    assert Reservation.objects.filter(name="r1@example.com").exists()


def test_crew_gains_access_to_matched_flight(admin_client, pilot):
    flight = fly(utc(2026, 3, 1, 10), 60)
    pilot_client = login(pilot)
    assert pilot_client.get(f"/a/flight/{flight.pk}/").status_code == 403
    reserve(admin_client, "r1@example.com", "20260301T100000Z", "20260301T110000Z", crew='<crew><user name="pilot@example.com"/></crew>')
    response = pilot_client.get(f"/a/flight/{flight.pk}/")
    assert response.status_code == 200
    assert b'<user name="pilot@example.com"/>' in response.content
    assert f'id="{flight.pk}"'.encode() in pilot_client.get("/a/flight/").content


def test_outsider_fleet_never_sees_the_flight(admin_client, outsider):
    flight = fly(utc(2026, 3, 1, 10), 60)
    assert login(outsider).get(f"/a/flight/{flight.pk}/").status_code == 403
    assert Client().get(f"/a/flight/{flight.pk}/").status_code == 403
