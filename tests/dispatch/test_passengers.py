"""Passengers (issue 10): one pilot made the whole club unbookable with a 31-day booking that
listed every member as passenger. A pilot or instructor adds passengers only within the
club's limit, and a passenger seat does not block the member's other bookings unless the club
says it should."""

import pytest
from django.urls import reverse

from clubs.services import organization_update
from core.errors import Conflict, Invalid, NotAllowed
from dispatch.models import Booking, BookingCrew
from dispatch.services.bookings import BookingInput, booking_create, booking_update
from tests.conftest import at, client_for, make_member

PIC, PAX = BookingCrew.Role.PIC, BookingCrew.Role.PASSENGER


def _members(club, n):
    return [make_member(club, f"rider{i}", is_pilot=True) for i in range(n)]


def test_a_pilot_cannot_list_more_passengers_than_the_club_allows(club, aircraft, pilot):
    riders = _members(club, club.max_passengers + 1)
    with pytest.raises(NotAllowed) as exc:
        booking_create(actor=pilot, data=BookingInput(aircraft=aircraft, start=at(10, 9), end=at(10, 11),
                                                      crew=[(pilot, PIC)] + [(m, PAX) for m in riders]))
    assert (exc.value.code, exc.value.field) == ("too_many_passengers", "crew")
    assert not Booking.objects.exists()
    booking_create(actor=pilot, data=BookingInput(aircraft=aircraft, start=at(10, 9), end=at(10, 11),
                                                  crew=[(pilot, PIC)] + [(m, PAX) for m in riders[:-1]]))


def test_a_dispatcher_may_seat_more_and_the_pilot_may_still_edit_it(club, aircraft, pilot, dispatcher):
    riders = _members(club, club.max_passengers + 2)
    crew = [(pilot, PIC)] + [(m, PAX) for m in riders]
    ride = booking_create(actor=dispatcher, data=BookingInput(aircraft=aircraft, start=at(10, 9), end=at(10, 11),
                                                              crew=crew))
    # The pilot moves it by an hour: nobody was added, so the club's limit is not in the way.
    booking_update(actor=pilot, booking=ride, data=BookingInput(aircraft=aircraft, start=at(10, 10), end=at(10, 12),
                                                                crew=crew))
    extra = make_member(club, "latecomer", is_pilot=True)
    with pytest.raises(NotAllowed):
        booking_update(actor=pilot, booking=Booking.objects.get(pk=ride.pk), data=BookingInput(
            aircraft=aircraft, start=at(10, 10), end=at(10, 12), crew=crew + [(extra, PAX)]))


def test_a_passenger_seat_does_not_block_the_members_own_flight(club, aircraft, aircraft2, pilot, pilot2):
    ride = booking_create(actor=pilot, data=BookingInput(aircraft=aircraft, start=at(10, 8), end=at(11, 20),
                                                         crew=[(pilot, PIC), (pilot2, PAX)]))
    own = booking_create(actor=pilot2, data=BookingInput(aircraft=aircraft2, start=at(10, 9), end=at(10, 11),
                                                         crew=[(pilot2, PIC)]))
    assert ride.pk != own.pk
    # ...and the other way round: already flying, still listed as a passenger elsewhere.
    booking_update(actor=pilot, booking=ride, data=BookingInput(aircraft=aircraft, start=at(10, 8), end=at(11, 20),
                                                                crew=[(pilot, PIC), (pilot2, PAX)]))


def test_the_club_can_make_passenger_seats_block(club, admin, aircraft, aircraft2, pilot, pilot2):
    organization_update(actor=admin, name=club.name, timezone_name=club.timezone,
                        wiflight_user_domain=club.wiflight_user_domain, passengers_block_bookings=True)
    booking_create(actor=pilot, data=BookingInput(aircraft=aircraft, start=at(10, 8), end=at(10, 12),
                                                  crew=[(pilot, PIC), (pilot2, PAX)]))
    with pytest.raises(Conflict) as exc:
        booking_create(actor=pilot2, data=BookingInput(aircraft=aircraft2, start=at(10, 9), end=at(10, 11),
                                                       crew=[(pilot2, PIC)]))
    assert exc.value.code == "crew_conflict"


def test_flying_crew_still_cannot_be_in_two_places(club, aircraft, aircraft2, pilot, dispatcher):
    booking_create(actor=dispatcher, data=BookingInput(aircraft=aircraft, start=at(10, 8), end=at(10, 12),
                                                       crew=[(pilot, PIC)]))
    with pytest.raises(Conflict) as exc:
        booking_create(actor=dispatcher, data=BookingInput(aircraft=aircraft2, start=at(10, 9), end=at(10, 11),
                                                           crew=[(pilot, PIC)]))
    assert exc.value.code == "crew_conflict"


def test_the_passenger_limit_is_the_clubs_to_set(club, admin):
    organization_update(actor=admin, name=club.name, timezone_name=club.timezone,
                        wiflight_user_domain=club.wiflight_user_domain, max_passengers=1)
    club.refresh_from_db()
    assert club.max_passengers == 1
    with pytest.raises(Invalid) as exc:
        organization_update(actor=admin, name=club.name, timezone_name=club.timezone,
                            wiflight_user_domain=club.wiflight_user_domain, max_passengers=-1)
    assert exc.value.code == "max_passengers_out_of_range"
    club.refresh_from_db()
    assert club.max_passengers == 1


def test_club_settings_page_sets_the_passenger_rules(club, admin):
    response = client_for(admin).post(reverse("club_settings", args=[club.slug]), {
        "name": club.name, "timezone": club.timezone, "wiflight_user_domain": "",
        "max_passengers": "2", "passengers_block_bookings": "on", "day_starts": "06:00", "day_ends": "22:00",
        "booking_step_minutes": "30", "default_booking_minutes": "60", "altitude_unit": "ft"})
    assert response.status_code == 302
    club.refresh_from_db()
    assert (club.max_passengers, club.passengers_block_bookings) == (2, True)
