"""Retiring an aircraft while someone books it, under real concurrency (PostgreSQL): the
booking waits on the aircraft row the retirement holds, then sees the aircraft retired.
Without the share lock it would read the row as it was before and book a retired aircraft."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from dispatch.models import Booking, BookingCrew
from dispatch.services.bookings import BookingInput, booking_create
from tests.conftest import at


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serializes writers with its IMMEDIATE transactions")


def _waiting_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


@pytest.mark.django_db(transaction=True)
def test_a_booking_racing_a_retirement_is_refused(postgres_only, dispatcher, pilot, aircraft):
    outcome, pid = {}, {}
    retiring = connections.create_connection("default")  # the retirement's own session
    retiring.set_autocommit(False)
    with retiring.cursor() as cursor:
        cursor.execute("SELECT id FROM dispatch_aircraft WHERE id = %s FOR UPDATE", [aircraft.pk])
        cursor.execute("UPDATE dispatch_aircraft SET retired_at = now() WHERE id = %s", [aircraft.pk])

    def book():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid["booking"] = cursor.fetchone()[0]
        try:
            booking_create(actor=dispatcher, data=BookingInput(aircraft=aircraft, start=at(10, 9), end=at(10, 10),
                                                               crew=[(pilot, BookingCrew.Role.PIC)]))
            outcome["code"] = "booked"
        except ValidationError as exc:
            outcome["code"] = exc.code
        finally:
            connection.close()

    thread = threading.Thread(target=book)
    thread.start()
    deadline = time.monotonic() + 10
    while not (pid.get("booking") and _waiting_on_a_lock(pid["booking"])):
        assert time.monotonic() < deadline and thread.is_alive(), f"the booking did not wait: {outcome}"
        time.sleep(0.05)
    retiring.commit()
    retiring.close()
    thread.join(timeout=10)
    assert outcome == {"code": "aircraft_retired"}
    assert not Booking.objects.exists()
