"""The reservation sync against the simulator over real HTTP (Celery eager: the kick on
commit sends inline; the worker-process tests live in test_sync_workers.py)."""

from contextlib import nullcontext
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dispatch.models import Booking
from dispatch.services.bookings import BookingInput, booking_cancel, booking_update
from integrations.wiflight import sync_sending
from integrations.wiflight.client import _clients as client_sessions
from integrations.wiflight.models import ReservationSync, WiFlightConnection
from integrations.wiflight.xml import parse_reservation_xml
from tests.tcp_servers import closed_port, tcp_server
from tests.wiflight.conftest import FLEET_ADMIN, FLEET_PASSWORD, NAME_DOMAIN


def _at_sim(sim, name):
    import requests

    from integrations.wiflight.client import WiFlightClient

    client = WiFlightClient(sim.base_url, FLEET_ADMIN, FLEET_PASSWORD)
    try:
        return parse_reservation_xml(client.get_reservation(name)[0])
    except Exception as exc:  # noqa: BLE001
        if getattr(exc, "status", None) == 404:
            return None
        raise
    finally:
        client.session.close()
        del requests


def _future(hours=24):
    start = (timezone.now() + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=2)


def test_booking_created_edited_cancelled_follows_at_wiflight(connection, sim, book, aircraft, pilot, dispatcher):
    start, end = _future()
    booking = book(aircraft, start, end, [(pilot, "pic")])
    sync = ReservationSync.objects.get(booking=booking)
    assert sync.state == "synced" and sync.synced_version == sync.wanted_version == 1
    remote = _at_sim(sim, sync.name)
    assert sync.name == f"{booking.uid}@{NAME_DOMAIN}"
    assert (remote.tail, remote.start, remote.end, remote.domain) == ("F-GABC", start, end, "flightline-test-tac")
    assert [u.name for u in remote.crew] == [f"pilot@{NAME_DOMAIN}"]

    booking_update(actor=dispatcher, booking=booking, data=BookingInput(
        aircraft=aircraft, start=start, end=end + timedelta(hours=1), crew=[(pilot, "pic")]))
    assert _at_sim(sim, sync.name).end == end + timedelta(hours=1)

    booking_cancel(actor=dispatcher, booking=Booking.objects.get(pk=booking.pk))
    sync.refresh_from_db()
    assert sync.state == "synced" and sync.synced_deleted and _at_sim(sim, sync.name) is None


def test_outage_keeps_the_change_and_the_sweep_delivers_it(connection, sim, book, aircraft, pilot):
    sim.faults(unavailable=True)
    booking = book(aircraft, *_future(), [(pilot, "pic")])
    sync = ReservationSync.objects.get(booking=booking)
    assert sync.state == "failed" and "wiflight_unreachable" in sync.last_error
    sim.faults(clear=True)
    ReservationSync.objects.filter(pk=sync.pk).update(next_attempt_at=timezone.now())
    assert sync_sending.drain(time_budget=5) == 1
    sync.refresh_from_db()
    assert sync.state == "synced" and _at_sim(sim, sync.name) is not None


def test_unknown_aircraft_is_dead_with_the_reason(connection, sim, book, aircraft2, pilot, club):
    from dispatch.models import Aircraft

    stranger = Aircraft.objects.create(organization=club, registration="F-HNEW", aircraft_type="x")
    booking = book(stranger, *_future(), [(pilot, "pic")])
    sync = ReservationSync.objects.get(booking=booking)
    assert sync.state == "dead" and sync.last_error == "403 Cannot reserve this aircraft"


def test_aircraft_without_recorder_is_not_sent(connection, sim, book, aircraft, pilot):
    aircraft.has_wiflight_recorder = False
    aircraft.save()
    booking = book(aircraft, *_future(), [(pilot, "pic")])
    sync = ReservationSync.objects.get(booking=booking)
    # Nothing to have there: a DELETE of a reservation that never existed is a 404, i.e. done.
    assert sync.state == "synced" and sync.synced_deleted


def test_clubs_without_a_connection_queue_nothing(book, aircraft, pilot, transactional_db):
    book(aircraft, *_future(), [(pilot, "pic")])
    assert not ReservationSync.objects.exists()


def test_backoff_has_full_jitter_and_honours_retry_after(settings):
    settings.WIFLIGHT_SYNC_BACKOFF_BASE, settings.WIFLIGHT_SYNC_BACKOFF_CAP = 5, 600
    samples = [sync_sending.backoff_seconds(3) for _ in range(200)]
    assert 0 <= min(samples) < 10 and max(samples) <= 40
    assert all(sync_sending.backoff_seconds(30) <= 600 for _ in range(50))
    assert sync_sending.backoff_seconds(0, retry_after=120) >= 120


def test_a_whole_club_backs_off_at_least_half_the_ceiling(settings):
    """A club tried again a moment after a timeout would spend another timeout of the worker."""
    settings.WIFLIGHT_SYNC_BACKOFF_BASE, settings.WIFLIGHT_SYNC_BACKOFF_CAP = 5, 600
    samples = [sync_sending.backoff_seconds(3, whole_club=True) for _ in range(200)]
    assert 20 <= min(samples) < 25 and max(samples) <= 40
    assert all(300 <= sync_sending.backoff_seconds(30, whole_club=True) <= 600 for _ in range(50))
    assert sync_sending.backoff_seconds(1, retry_after=120, whole_club=True) >= 120


def test_password_is_encrypted_at_rest(connection):
    raw = WiFlightConnection.objects.filter(pk=connection.pk).values_list("password_encrypted", flat=True).get()
    assert FLEET_PASSWORD not in raw and connection.password == FLEET_PASSWORD


def test_cancel_after_a_flight_matched_keeps_the_reservation_and_says_why(connection, sim, book, aircraft, pilot,
                                                                        dispatcher, club):
    from django.urls import reverse

    from tests.conftest import client_for
    from integrations.wiflight.xml import format_time

    start, end = _future()
    booking = book(aircraft, start, end, [(pilot, "pic")])
    sync = ReservationSync.objects.get(booking=booking)
    flight = sim.control("POST", "flights", tail="F-GABC", start=format_time(start + timedelta(minutes=10)),
                         duration=3600)
    assert sync.name in [m["reservation"] for m in flight["matched"]]
    booking_cancel(actor=dispatcher, booking=Booking.objects.get(pk=booking.pk))
    sync.refresh_from_db()
    assert sync.state == "dead" and sync.last_error.startswith("Wi-Flight keeps this reservation: 409")
    assert _at_sim(sim, sync.name) is not None
    page = client_for(dispatcher).get(reverse("dispatch:booking", args=[club.slug, booking.pk])).content.decode()
    assert "Wi-Flight keeps this reservation" in page


def test_maintenance_subscription_spans_all_time_in_its_own_domain(connection, sim, aircraft, aircraft2, admin):
    from integrations.wiflight.connection_services import connection_update

    connection.maintenance_enabled = True
    connection_update(connection=connection, actor=admin, changed_fields={"maintenance_enabled"})
    rows = ReservationSync.objects.filter(kind="maintenance")
    assert {r.aircraft.registration for r in rows} == {"F-GABC", "F-GXYZ"}
    remote = _at_sim(sim, f"maintenance-{aircraft.pk}@{NAME_DOMAIN}")
    assert remote.domain == "flightline-test-tac-maintenance" and remote.tail == "F-GABC"
    assert (remote.start.year, remote.end.year) == (2000, 2100) and remote.crew == ()


def test_new_aircraft_gets_its_maintenance_subscription(connection, sim, admin):
    from dispatch.services.fleet import AircraftInput, aircraft_create

    connection.maintenance_enabled = True
    connection.save()
    new = aircraft_create(actor=admin, data=AircraftInput(registration="F-GXYZ", aircraft_type="Robin"))
    assert ReservationSync.objects.get(kind="maintenance", aircraft=new).state == "synced"


def test_changing_the_name_domain_deletes_the_old_reservation(connection, sim, book, aircraft, pilot, admin):
    from integrations.wiflight.connection_services import connection_update

    booking = book(aircraft, *_future(), [(pilot, "pic")])
    old_name = ReservationSync.objects.get(booking=booking).name
    assert _at_sim(sim, old_name) is not None
    connection.name_domain = "renamed.example.com"
    connection_update(connection=connection, actor=admin, changed_fields={"name_domain"})
    row = ReservationSync.objects.get(booking=booking)
    assert row.name == f"{booking.uid}@renamed.example.com"
    # Our simulator account may not use the new domain: the new name is refused, loudly...
    assert row.state == "dead" and "403" in row.last_error
    # ...and the reservation under the old name is gone rather than left matching flights.
    tombstone = ReservationSync.objects.get(name=old_name)
    assert tombstone.booking is None and tombstone.state == "synced" and tombstone.synced_deleted
    assert _at_sim(sim, old_name) is None


def test_an_undecryptable_password_is_recorded_and_retried_not_silent(connection, sim, book, aircraft, pilot):
    WiFlightConnection.objects.filter(pk=connection.pk).update(password_encrypted="not-a-fernet-token")
    client_sessions.clear()
    booking = book(aircraft, *_future(), [(pilot, "pic")])
    sync = ReservationSync.objects.get(booking=booking)
    assert sync.state == "failed" and "cannot be decrypted" in sync.last_error and sync.lease_owner == ""
    assert sync.next_attempt_at > timezone.now()


def test_the_queue_shows_one_error_whatever_answers_at_the_address(connection, book, aircraft, pilot, settings):
    # A club admin points the connection somewhere and reads the queue page: a closed port and
    # an open one that is not Wi-Flight must read the same, or the settings are a port scanner.
    settings.WIFLIGHT_CONNECT_TIMEOUT, settings.WIFLIGHT_READ_TIMEOUT = 1.0, 0.5
    seen = set()
    for hours, kind in enumerate(("closed", "http_404", "not_http", "silent")):
        with tcp_server(kind) if kind != "closed" else nullcontext(SimpleNamespace(port=closed_port())) as server:
            WiFlightConnection.objects.filter(pk=connection.pk).update(base_url=f"http://127.0.0.1:{server.port}")
            booking = book(aircraft, *_future(24 + 3 * hours), [(pilot, "pic")])
            row = ReservationSync.objects.get(booking=booking)
            seen.add((row.state, row.last_error.replace(str(server.port), "PORT")))
    assert len(seen) == 1, seen
    state, error = seen.pop()
    assert state == "failed" and "wiflight_unreachable" in error


def test_an_address_flightline_may_not_connect_to_leaves_the_row_dead_with_its_code(
        connection, sim, book, aircraft, pilot, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    booking = book(aircraft, *_future(), [(pilot, "pic")])
    row = ReservationSync.objects.get(booking=booking)
    assert row.state == "dead" and "outbound_address_refused" in row.last_error
    assert sim.control("GET", "requests")["requests"] == []
