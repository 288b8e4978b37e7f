"""Billing a booking locks the booking row alone, and never against a flight's foreign keys.

Seen under load (bench/load.py): two notifications of one flight processed at once deadlocked,
because billing locked the booking's aircraft and club rows FOR UPDATE while the other
transaction, inserting the flight, held KEY SHARE on them (every foreign key insert does)."""

import threading

import psycopg
import pytest
from django.db import OperationalError, connection, transaction

from accounting.services.charges import booking_bill


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite locks the whole database)")


def _hold_key_share(booking, holding: threading.Event, release: threading.Event) -> None:
    """Another transaction inserting a flight of this booking: KEY SHARE on the booking,
    its aircraft and its club, as the foreign keys take them."""
    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                         password=s["PASSWORD"] or None, dbname=s["NAME"]) as other:
        for table, pk in (("dispatch_booking", booking.pk), ("dispatch_aircraft", booking.aircraft_id),
                          ("clubs_organization", booking.organization_id)):
            other.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE", [pk])
        holding.set()
        release.wait(30)
        other.rollback()


@pytest.mark.django_db(transaction=True)
def test_billing_does_not_wait_for_a_flight_being_inserted(postgres_only, booking):
    holding, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_key_share, args=(booking, holding, release))
    holder.start()
    try:
        assert holding.wait(30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            try:
                assert booking_bill(booking_id=booking.pk) is None  # booked, not flown: nothing to bill
            except OperationalError as exc:  # the old FOR UPDATE on the joined rows waited here
                pytest.fail(f"billing waited on a row lock a flight insert holds: {exc}")
    finally:
        release.set()
        holder.join(30)
