"""Double booking under real concurrency, and the database guarantee underneath the service.

Twenty pilots POST the same aircraft and slot to the threaded live server at the same moment.
Each books only themselves, so the crew-row locks never serialize them and the aircraft rule
alone decides: on SQLite the IMMEDIATE write lock, on PostgreSQL the exclusion constraint
`booking_aircraft_no_overlap`. Exactly one wins; every other pilot sees the conflict, never a 500.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings as django_settings
from django.db import IntegrityError, connection, transaction
from django.test import Client

from dispatch.models import Booking, BookingCrew
from clubs.models import AuditEvent
from tests.conftest import at, make_member

RACERS = 20


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the exclusion constraint exists only there (set DATABASE_URL)")


def _signed_in_session(live_server, membership, form_url: str) -> tuple[requests.Session, str]:
    """A requests session carrying the member's Django session, and its CSRF token."""
    client = Client()
    client.force_login(membership.user)
    session = requests.Session()
    session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    response = session.get(form_url, timeout=30)
    assert response.status_code == 200, response.text[:500]
    return session, session.cookies[django_settings.CSRF_COOKIE_NAME]


@pytest.mark.django_db(transaction=True)
def test_twenty_pilots_racing_for_one_slot_get_one_booking(live_server, fast_passwords, club, aircraft):
    pilots = [make_member(club, f"racer{i:02d}", is_pilot=True) for i in range(RACERS)]
    form_url = f"{live_server.url}/o/{club.slug}/bookings/new/"
    sessions = [_signed_in_session(live_server, p, form_url) for p in pilots]
    barrier = threading.Barrier(RACERS)

    def race(i: int) -> tuple[int, str]:
        session, token = sessions[i]
        data = {
            "csrfmiddlewaretoken": token, "aircraft": aircraft.pk, "pic": pilots[i].pk,
            "start": "2030-06-10T09:00", "end": "2030-06-10T11:00", "purpose": Booking.Purpose.RENTAL,
        }
        barrier.wait(timeout=30)
        response = session.post(form_url, data=data, allow_redirects=False, timeout=60)
        return response.status_code, response.text

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        results = list(pool.map(race, range(RACERS)))

    statuses = sorted(status for status, _ in results)
    assert 500 not in statuses, [body[:2000] for status, body in results if status >= 500][:1]
    assert statuses == [302] + [400] * (RACERS - 1), statuses
    for status, body in results:
        if status == 400:
            assert "F-GABC is already booked Mon 10 Jun 09:00–11:00." in body, body[:2000]

    booking = Booking.objects.get()
    assert (booking.aircraft_id, booking.start, booking.end) == (aircraft.pk, at(10, 9), at(10, 11))
    winner = pilots[[status for status, _ in results].index(302)]
    assert list(booking.crew.values_list("membership", "role")) == [(winner.pk, BookingCrew.Role.PIC)]
    # The losers' transactions left nothing behind: no crew rows, no audit entries.
    assert BookingCrew.objects.count() == 1
    assert AuditEvent.objects.filter(action="booking.created").count() == 1


def _insert(aircraft, start, end, status=Booking.Status.BOOKED) -> Booking:
    return Booking.objects.create(organization=aircraft.organization, aircraft=aircraft, start=start, end=end,
                                  status=status)


def test_exclusion_constraint_refuses_an_overlap_written_past_the_service(postgres_only, aircraft):
    _insert(aircraft, at(10, 9), at(10, 11))
    with pytest.raises(IntegrityError, match="booking_aircraft_no_overlap"), transaction.atomic():
        _insert(aircraft, at(10, 10), at(10, 12))
    with pytest.raises(IntegrityError, match="booking_aircraft_no_overlap"), transaction.atomic():
        _insert(aircraft, at(10, 9, 30), at(10, 10, 30), status=Booking.Status.DISPATCHED)
    assert Booking.objects.count() == 1


def test_exclusion_constraint_allows_cancelled_back_to_back_and_other_aircraft(postgres_only, aircraft, aircraft2):
    _insert(aircraft, at(10, 9), at(10, 11))
    cancelled = _insert(aircraft, at(10, 10), at(10, 12), status=Booking.Status.CANCELLED)
    _insert(aircraft, at(10, 11), at(10, 12))  # back-to-back: [) ranges touch, they do not overlap
    _insert(aircraft, at(10, 8), at(10, 9))
    _insert(aircraft2, at(10, 9), at(10, 11))
    assert Booking.objects.count() == 5

    # Reviving the cancelled booking would overlap two active ones: the constraint says no.
    with pytest.raises(IntegrityError, match="booking_aircraft_no_overlap"), transaction.atomic():
        Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.BOOKED)
