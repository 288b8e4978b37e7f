"""Workers racing over one outbox: every message is sent once, and each object's messages in
order. Real threads, each with its own database connection (hence transactional_db); on
PostgreSQL the claims use SKIP LOCKED, on SQLite the conditional UPDATE."""

import threading

import pytest
from django.db import connection

from dispatch.models import Booking, BookingCrew
from dispatch.services.bookings import BookingInput, booking_cancel, booking_update
from integrations.webhooks import delivery, outbox
from integrations.webhooks.models import WebhookMessage
from tests.conftest import at, make_member

WORKERS = 4


@pytest.mark.django_db(transaction=True)
def test_racing_workers_send_each_message_once_and_in_order_per_object(receiver, hook, club, aircraft, aircraft2,
                                                                       dispatcher, book, monkeypatch):
    _, secret = hook
    monkeypatch.setattr(outbox, "enqueue_delivery", lambda message_id: None)  # no kicks: only the racing sweeps
    pilots = [make_member(club, f"racer{i}", is_pilot=True) for i in range(3)]
    for day, pilot in zip((10, 11, 12), pilots):
        booking = book(aircraft if day % 2 else aircraft2, at(day, 9), at(day, 10), [(pilot, BookingCrew.Role.PIC)])
        for hour in (11, 12):
            booking_update(actor=dispatcher, booking=booking, data=BookingInput(
                aircraft=booking.aircraft, start=at(day, 9), end=at(day, hour), crew=[(pilot, BookingCrew.Role.PIC)]))
        booking_cancel(actor=dispatcher, booking=Booking.objects.get(pk=booking.pk))
    assert WebhookMessage.objects.filter(state="pending").count() == 12
    receiver.delay = 0.02
    barrier = threading.Barrier(WORKERS)

    def work():
        try:
            barrier.wait(timeout=10)
            delivery.drain(batch=3, time_budget=20)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert set(WebhookMessage.objects.values_list("state", flat=True)) == {"delivered"}
    ids = [got.headers["webhook-id"] for got in receiver.received]
    assert sorted(ids) == sorted(WebhookMessage.objects.values_list("msg_id", flat=True))  # each once
    by_booking = {}
    for got in receiver.received:
        document = got.verified_with(secret)
        by_booking.setdefault(document["object"]["id"], []).append(document["type"])
    assert list(by_booking.values()) == [["booking.created", "booking.changed", "booking.changed",
                                          "booking.cancelled"]] * 3
