"""Flights without a booking: every one is listed for dispatchers and admins with the bookings
it may belong to, and linking one refuses another club's booking, another aircraft's, and a
flight already linked."""

import pytest
from django.urls import reverse

from clubs.models import AuditEvent
from core.errors import Conflict, Invalid, NotAllowed, NotFound
from dispatch.models import BookingCrew
from flights.models import Flight, LogbookEntry
from flights.services.assignment import flight_assign
from tests.conftest import at
from tests.flights.conftest import detect


def unassigned(club):
    return reverse("flights:unassigned", args=[club.slug])


def assign_url(club, flight):
    return reverse("flights:assign", args=[club.slug, flight.pk])


@pytest.fixture
def stray(club, aircraft, notify_conn):
    """A flight that came back with no reservation and no booking at its times."""
    return detect(club, "900", at(14, 9, 5))


@pytest.mark.parametrize("persona", ["dispatcher", "admin"])
def test_a_flight_without_reservation_or_match_is_listed_with_its_candidates(
        request, as_user, club, book, aircraft, aircraft2, pilot, pilot2, stray, persona):
    near = book(aircraft, at(14, 10), at(14, 12), [(pilot, BookingCrew.Role.PIC)])
    best = book(aircraft, at(14, 8, 30), at(14, 9, 30), [(pilot2, BookingCrew.Role.PIC)])
    book(aircraft, at(15, 9), at(15, 10), [(pilot, BookingCrew.Role.PIC)])  # the next day: not offered
    book(aircraft2, at(14, 9), at(14, 10), [(pilot, BookingCrew.Role.PIC)])  # another aircraft: not offered
    assert stray.booking is None and not stray.unmatched_reservation
    response = as_user(request.getfixturevalue(persona)).get(unassigned(club))
    assert response.status_code == 200
    [(flight, candidates)] = response.context["rows"]
    assert flight == stray and candidates == [best, near]
    html = response.content.decode()
    assert f'type="radio" name="booking" value="{best.pk}"' in html and assign_url(club, stray) in html


@pytest.mark.parametrize("persona", ["pilot", "mechanic", "instructor", "outsider"])
def test_only_dispatchers_and_admins_reach_the_list(request, as_user, club, stray, persona):
    assert as_user(request.getfixturevalue(persona)).get(unassigned(club)).status_code == 404


def test_the_flights_page_links_to_the_list_with_a_count(as_user, club, dispatcher, stray):
    html = as_user(dispatcher).get(reverse("flights:flight_list", args=[club.slug])).content.decode()
    assert unassigned(club) in html and "1 flight without a booking" in html


@pytest.mark.parametrize("persona", ["dispatcher", "admin"])
def test_assigning_from_the_page_links_the_booking_and_logs_the_crew(request, as_user, club, book, aircraft, pilot,
                                                                    stray, persona):
    target = book(aircraft, at(14, 9), at(14, 11), [(pilot, BookingCrew.Role.PIC)])
    response = as_user(request.getfixturevalue(persona)).post(assign_url(club, stray), {"booking": target.pk})
    assert response.status_code == 302 and response["Location"] == unassigned(club)
    stray.refresh_from_db()
    assert stray.booking == target
    assert list(LogbookEntry.objects.values_list("flight", "membership", "booking")) == [(stray.pk, pilot.pk, target.pk)]
    assert AuditEvent.objects.get(action="wiflight.flight_assigned").target_id == str(stray.pk)
    assert as_user(request.getfixturevalue(persona)).get(unassigned(club)).context["rows"] == []


def test_the_page_refuses_a_booking_of_another_club(as_user, club, dispatcher, stray, other_aircraft, outsider):
    from dispatch.services.bookings import BookingInput, booking_create

    theirs = booking_create(actor=outsider, data=BookingInput(aircraft=other_aircraft, start=at(14, 9), end=at(14, 11),
                                                              crew=[(outsider, BookingCrew.Role.PIC)]))
    response = as_user(dispatcher).post(assign_url(club, stray), {"booking": theirs.pk}, follow=True)
    assert "No such booking." in response.content.decode()
    stray.refresh_from_db()
    assert stray.booking is None and not LogbookEntry.objects.exists()


def test_the_service_refuses_a_booking_of_another_club(club, dispatcher, stray, other_aircraft, outsider):
    from dispatch.services.bookings import BookingInput, booking_create

    theirs = booking_create(actor=outsider, data=BookingInput(aircraft=other_aircraft, start=at(14, 9), end=at(14, 11),
                                                              crew=[(outsider, BookingCrew.Role.PIC)]))
    # Same registration, so only the club check stands between the flight and their booking.
    Flight.objects.filter(pk=stray.pk).update(tail=other_aircraft.registration)
    stray.refresh_from_db()
    with pytest.raises(NotFound) as refused:
        flight_assign(actor=dispatcher, flight=stray, booking=theirs)
    assert refused.value.code == "booking_not_found"
    stray.refresh_from_db()
    assert stray.booking is None


def test_the_service_refuses_another_aircraft_a_linked_flight_and_a_pilot(club, book, aircraft, aircraft2, pilot,
                                                                         pilot2, dispatcher, stray):
    other = book(aircraft2, at(14, 9), at(14, 11), [(pilot2, BookingCrew.Role.PIC)])
    with pytest.raises(Invalid) as refused:
        flight_assign(actor=dispatcher, flight=stray, booking=other)
    assert refused.value.code == "booking_other_aircraft" and refused.value.field == "booking"
    right = book(aircraft, at(14, 9), at(14, 11), [(pilot, BookingCrew.Role.PIC)])
    with pytest.raises(NotFound) as refused:
        flight_assign(actor=pilot, flight=stray, booking=right)  # not on it: the pilot cannot see it
    assert refused.value.code == "flight_not_found"
    flight_assign(actor=dispatcher, flight=stray, booking=right)
    with pytest.raises(Conflict) as refused:
        flight_assign(actor=dispatcher, flight=stray, booking=right)
    assert refused.value.code == "flight_already_assigned"
    with pytest.raises(NotAllowed) as refused:
        flight_assign(actor=pilot, flight=stray, booking=right)  # on it now: sees it, may not assign
    assert refused.value.code == "not_allowed"


def test_an_outsider_cannot_assign_our_flight(club, booking, stray, outsider):
    with pytest.raises(NotFound):
        flight_assign(actor=outsider, flight=stray, booking=booking)


def test_the_list_costs_the_same_queries_for_one_flight_or_many(as_user, club, book, aircraft, pilot, dispatcher, stray):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(dispatcher)
    book(aircraft, at(14, 10), at(14, 12), [(pilot, BookingCrew.Role.PIC)])
    with CaptureQueriesContext(connection) as one:
        client.get(unassigned(club))
    for n, day in enumerate((15, 16, 17, 18)):
        detect(club, f"91{n}", at(day, 9))
        book(aircraft, at(day, 8), at(day, 10), [(pilot, BookingCrew.Role.PIC)])
    with CaptureQueriesContext(connection) as many:
        page = client.get(unassigned(club)).content.decode()
    assert page.count('name="booking"') == 5  # each flight offers its own nearby booking
    assert len(many.captured_queries) == len(one.captured_queries)
