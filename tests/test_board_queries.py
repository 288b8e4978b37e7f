"""The board's query count is fixed: it does not grow with the fleet or the schedule."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dispatch.models import Aircraft, Booking, BookingCrew
from tests.conftest import at, make_member

# Session, user, membership (clubs.access); aircraft, bookings, their crew (board_for). Adding
# a query to the board is a decision: bump this with the reason. Issue 14 added three, each
# fixed in size: the club's events in the window (calendars), and the maintenance items due
# with the hours of the aircraft that keep any (maintenance).
BOARD_MAX_QUERIES = 9


def _add_schedule(club, *, aircraft: int, bookings_per_aircraft: int, crew: list, days_before: int = 0) -> None:
    """`aircraft` more aircraft, each with 1 h bookings every 3 h from 06:00 on Monday
    2030-06-10 (minus `days_before`), a crew on each."""
    first = Aircraft.objects.filter(organization=club).count()
    fleet = Aircraft.objects.bulk_create(
        Aircraft(organization=club, registration=f"F-Q{first + i:03d}", aircraft_type="Robin DR400")
        for i in range(aircraft)
    )
    first_start = at(10, 6) - timedelta(days=days_before)
    bookings = Booking.objects.bulk_create(
        Booking(organization=club, aircraft=a, start=first_start + timedelta(hours=3 * k),
                end=first_start + timedelta(hours=3 * k + 1))
        for a in fleet for k in range(bookings_per_aircraft)
    )
    rows = []
    for n, booking in enumerate(bookings):
        pic, other, role = crew[n % len(crew)]
        rows.append(BookingCrew(booking=booking, membership=pic, role=BookingCrew.Role.PIC))
        if other is not None:
            rows.append(BookingCrew(booking=booking, membership=other, role=role))
    BookingCrew.objects.bulk_create(rows)


def _board_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["dispatcher", "instructor", "pilot"])
@pytest.mark.parametrize("view", ["day", "week"])
def test_board_query_count_is_bounded_and_flat(request, as_user, django_assert_max_num_queries, club,
                                               instructor, student, pilot, persona, view):
    passenger = make_member(club, "passenger")
    crew = [(pilot, passenger, BookingCrew.Role.PASSENGER), (instructor, student, BookingCrew.Role.STUDENT),
            (student, None, None)]
    _add_schedule(club, aircraft=3, bookings_per_aircraft=4, crew=crew)
    client = as_user(request.getfixturevalue(persona))
    url = f"/o/{club.slug}/board/?view={view}&date=2030-06-10"

    with django_assert_max_num_queries(BOARD_MAX_QUERIES):
        response = client.get(url)
    assert response.content.count(b'class="block ') == 12  # the schedule is really drawn
    small = _board_queries(client, url)

    # 5x the fleet and 5x the bookings on the board, plus history the board must leave out.
    _add_schedule(club, aircraft=12, bookings_per_aircraft=4, crew=crew)
    _add_schedule(club, aircraft=12, bookings_per_aircraft=40, crew=crew, days_before=30)
    large = _board_queries(client, url)
    assert large == small, f"{small} queries with 3 aircraft and 12 bookings, {large} with 27 and 540"
    assert client.get(url).content.count(b'class="block ') == 60
