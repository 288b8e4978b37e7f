"""End to end over real HTTP: book, sync to the simulator, fly, the simulator POSTs the
notification to our live server, the flight lands on the booking and in the pilot's log;
duplicates collapse; with notifications paused, reconciliation finds the flight."""

from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from flights.models import LogbookEntry
from integrations.wiflight import client as wiflight_client
from flights.models import Flight, FlightTrack
from integrations.wiflight.models import FlightNotification, ReconciliationRun, ReservationSync
from integrations.wiflight.reconciliation import reconcile_club
from tests.wiflight.flight_docs import basic

SECRET = "e2e-notify-secret"
PROFILE = "flightline-e2e"


@pytest.fixture
def wired(connection, sim, live_server):  # noqa: F811
    from core.crypto import encrypt_text

    sim.notify_profile(PROFILE, "--url", f"{live_server.url}/wiflight/notify/tac/", "--basic-user", "wiflight",
                       "--basic-password", SECRET)
    connection.notify_profile = PROFILE
    connection.notify_username = "wiflight"
    connection.notify_secret_encrypted = encrypt_text(SECRET)
    connection.save()
    return connection


def _booked_past_flight(book, aircraft, pilot):
    start = (timezone.now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    return book(aircraft, start, start + timedelta(hours=2), [(pilot, "pic")]), start


def test_flight_comes_back_to_the_booking_log_and_crew(wired, sim, book, aircraft, pilot, pilot2, as_user, club):
    booking, start = _booked_past_flight(book, aircraft, pilot)
    assert ReservationSync.objects.get(booking=booking).state == "synced"
    flown = sim.control("POST", "flights", tail="F-GABC", start=(start + timedelta(minutes=10)).strftime("%Y%m%dT%H%M%SZ"),
                        duration=3600)
    assert flown["matched"] and flown["notifications"]
    assert sim.control("POST", "notifications/deliver")["delivered"] >= 1
    flight = Flight.objects.get(wiflight_id=str(flown["id"]))
    assert flight.booking == booking and flight.source == "notification"
    assert LogbookEntry.objects.get(flight=flight).membership == pilot
    # The crew sees it (the page fetches the track in 600 s chunks through the client); another member gets 404.
    page = as_user(pilot).get(f"/o/tac/flights/{flight.pk}/")
    assert page.status_code == 200 and "Watch playback" in page.content.decode()
    points = FlightTrack.objects.get(flight=flight).points
    assert points[-1][0] > 3000 and len({p[0] for p in points}) == len(points)
    assert as_user(pilot2).get(f"/o/tac/flights/{flight.pk}/").status_code == 404


def test_the_same_notification_three_times_is_one_flight(wired, sim, book, aircraft, pilot, live_server):
    booking, start = _booked_past_flight(book, aircraft, pilot)
    flown = sim.control("POST", "flights", tail="F-GABC", start=(start + timedelta(minutes=5)).strftime("%Y%m%dT%H%M%SZ"),
                        duration=1800)
    sim.control("POST", "notifications/deliver")
    outbox = [n for n in sim.control("GET", "notifications")["notifications"] if n.get("status") == "delivered"]
    assert outbox
    # Re-send the frozen body twice more, as Wi-Flight does after a lost acknowledgement.
    body = FlightNotification.objects.get().body
    for _ in range(2):
        response = requests.post(f"{live_server.url}/wiflight/notify/tac/", data=bytes(body), timeout=10,
                                 headers={"Content-Type": "application/xml", "Authorization": basic("wiflight", SECRET)})
        assert response.status_code == 200 and response.text.startswith("Already")
    assert Flight.objects.filter(wiflight_id=str(flown["id"])).count() == 1
    assert FlightNotification.objects.count() == 1 and LogbookEntry.objects.count() == 1


def test_with_notifications_paused_reconciliation_finds_the_flight(wired, sim, book, aircraft, pilot):
    booking, start = _booked_past_flight(book, aircraft, pilot)
    sim.faults(notifications_paused=True)
    flown = sim.control("POST", "flights", tail="F-GABC", start=(start + timedelta(minutes=15)).strftime("%Y%m%dT%H%M%SZ"),
                        duration=2400)
    sim.control("POST", "notifications/deliver")
    assert not Flight.objects.exists()
    wiflight_client._clients.clear()
    run = reconcile_club(connection_id=wired.pk)
    assert run.succeeded and run.flights_ingested == 1 and run.ingested_ids == [str(flown["id"])]
    flight = Flight.objects.get()
    assert flight.booking == booking and flight.source == "reconciliation"
    assert LogbookEntry.objects.get().membership == pilot
    # A second run finds nothing new; the late notification then changes nothing either.
    assert reconcile_club(connection_id=wired.pk).flights_ingested == 0
    sim.faults(notifications_paused=False)
    sim.control("POST", "notifications/deliver")
    assert Flight.objects.count() == 1 and FlightNotification.objects.count() == 1
    assert ReconciliationRun.objects.count() == 2


def test_reconciliation_records_an_outage(wired, sim):
    sim.faults(unavailable=True)
    wiflight_client._clients.clear()
    run = reconcile_club(connection_id=wired.pk)
    assert run.finished_at and "wiflight_unreachable" in run.error
