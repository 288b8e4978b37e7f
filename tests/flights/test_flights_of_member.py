"""A member's own flights ("My flights", my bookings' recent flights) are exactly the flights
policy says they were on: on the flight's crew, or on its booking's crew. The selector reads
the member's crew rows instead of the club's flights (bench/scale.py), so it is held here to
the policy's own definition."""

from datetime import datetime, timezone as dt_timezone

from dispatch.models import BookingCrew
from flights.models import Flight, FlightCrew
from flights.policy import flights_crewed_by
from flights.selectors import flights_of_member
from tests.conftest import at, make_member
from tests.flights.conftest import detect

PIC = BookingCrew.Role.PIC


def _flight(club, n, booking=None):
    """A flight far from every booking (nothing matched, no crew copied), then put on `booking`."""
    flight = detect(club, f"F{n}", datetime(2030, 7, 1, 6 + n, tzinfo=dt_timezone.utc))
    FlightCrew.objects.filter(flight=flight).delete()
    Flight.objects.filter(pk=flight.pk).update(booking=booking)
    return flight


def test_my_flights_are_those_on_whose_crew_or_booking_crew_i_was(club, book, aircraft, pilot, dispatcher):
    other = make_member(club, "other", is_pilot=True)
    mine_by_booking = book(aircraft, at(10, 8), at(10, 9), [(pilot, PIC)])
    theirs = book(aircraft, at(10, 10), at(10, 11), [(other, PIC)])
    by_booking = _flight(club, 1, mine_by_booking)
    by_crew = _flight(club, 2)
    FlightCrew.objects.create(flight=by_crew, membership=pilot, role="pic")
    both = _flight(club, 3, theirs)
    FlightCrew.objects.create(flight=both, membership=pilot, role="student")
    FlightCrew.objects.create(flight=both, membership=other, role="pic")
    _flight(club, 4)  # nobody's

    assert set(flights_of_member(pilot)) == {by_booking, by_crew, both}
    assert set(flights_of_member(other)) == {both}
    assert list(flights_of_member(dispatcher)) == []
    for member in (pilot, other, dispatcher):
        expected = set(Flight.objects.filter(flights_crewed_by(member).q))
        assert set(flights_of_member(member)) == expected
        assert flights_of_member(member).count() == len(expected)  # no duplicate rows from the joins
