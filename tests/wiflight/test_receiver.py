"""POST /wiflight/notify/<slug>/: authentication, storage before the 2xx, de-duplication,
refusals that store nothing, unmatched reservations kept."""

from datetime import datetime, timezone

import pytest
from django.test import Client

from flights.models import LogbookEntry
from integrations.wiflight.connection_services import notify_rotation_end, notify_secret_generate
from flights.models import Flight
from integrations.wiflight.models import FlightNotification
from tests.wiflight.flight_docs import basic, notification_body, signature
from tests.wiflight.flight_fixtures import (  # noqa: F401 - fixtures
    NOTIFY_USER, SECRET, maintenance_reservation_for, notify_conn, reservation_for)

URL = "/wiflight/notify/tac/"
START = datetime(2030, 6, 10, 7, 5, tzinfo=timezone.utc)  # 09:05 Paris, inside the 09:00-11:00 booking


def post(body: bytes, url=URL, **headers):
    return Client().post(url, data=body, content_type="application/xml", **headers)


def body_for(name, flight_id=101, **kw):
    return notification_body(reservation_name=name, flight_id=flight_id, tail="F-GABC", start=START,
                             crew=["pilot@tac.example.com"], **kw)


@pytest.fixture
def name(notify_conn, booking):
    return reservation_for(booking)


def test_basic_auth_stores_then_processes_into_a_flight_on_the_booking(name, booking, pilot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(body_for(name), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    assert response.status_code == 200
    row = FlightNotification.objects.get()
    assert (row.wiflight_flight_id, row.reservation_name, row.state) == ("101", name, "processed")
    assert bytes(row.body) == body_for(name)
    flight = Flight.objects.get()
    assert flight.booking == booking and flight.tail == "F-GABC" and flight.aircraft == booking.aircraft
    assert [e.kind for e in flight.events.all()] == ["engine_start", "takeoff", "landing", "engine_stop"]
    assert list(flight.crew.values_list("membership", flat=True)) == [pilot.pk]
    entry = LogbookEntry.objects.get()
    assert (entry.membership, entry.departure, entry.arrival, entry.landings, entry.block_minutes) == (pilot, "LFPN", "LFPN", 1, 60)


def test_the_body_is_stored_before_the_acknowledgement_even_if_processing_waits(name):
    # No on-commit execution here: the task has not run, yet the row is durable.
    assert post(body_for(name), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET)).status_code == 200
    assert FlightNotification.objects.get().state == "received" and not Flight.objects.exists()


def test_hmac_signature_alone_is_enough(name):
    body = body_for(name)
    assert post(body, HTTP_X_WIFLIGHT_SIGNATURE=signature(SECRET, body)).status_code == 200


@pytest.mark.parametrize("headers", [
    {},
    {"HTTP_AUTHORIZATION": basic(NOTIFY_USER, "wrong")},
    {"HTTP_AUTHORIZATION": basic("someone", SECRET)},
    {"HTTP_AUTHORIZATION": "Basic !!!not-base64"},
    {"HTTP_AUTHORIZATION": "Bearer " + SECRET},
    {"HTTP_X_WIFLIGHT_SIGNATURE": "sha256=" + "0" * 64},
])
def test_unauthenticated_is_401_and_nothing_stored(name, headers):
    body = body_for(name)
    response = post(body, **headers)
    assert response.status_code == 401 and "Basic" in response["WWW-Authenticate"]
    assert not FlightNotification.objects.exists()


def test_signature_over_another_body_is_refused(name):
    assert post(body_for(name), HTTP_X_WIFLIGHT_SIGNATURE=signature(SECRET, b"<other/>")).status_code == 401


def test_wrong_club_or_unknown_club_is_401(name, other_club):
    auth = {"HTTP_AUTHORIZATION": basic(NOTIFY_USER, SECRET)}
    assert post(body_for(name), url="/wiflight/notify/other/", **auth).status_code == 401
    assert post(body_for(name), url="/wiflight/notify/nope/", **auth).status_code == 401
    assert not FlightNotification.objects.exists()


def test_a_club_without_a_secret_receives_nothing(name, notify_conn):
    notify_conn.notify_secret_encrypted = ""
    notify_conn.save()
    assert post(body_for(name), HTTP_AUTHORIZATION=basic(NOTIFY_USER, "")).status_code == 401


def test_rotation_accepts_both_secrets_until_it_ends(name, notify_conn, admin):
    new = notify_secret_generate(connection=notify_conn, actor=admin)
    assert new != SECRET
    assert post(body_for(name, 1), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET)).status_code == 200
    assert post(body_for(name, 2), HTTP_AUTHORIZATION=basic(NOTIFY_USER, new)).status_code == 200
    notify_rotation_end(connection=notify_conn, actor=admin)
    assert post(body_for(name, 3), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET)).status_code == 401
    assert post(body_for(name, 4), HTTP_AUTHORIZATION=basic(NOTIFY_USER, new)).status_code == 200


def test_the_same_notification_three_times_is_one_flight(name, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert post(body_for(name), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET)).status_code == 200
    assert FlightNotification.objects.count() == 1 and Flight.objects.count() == 1
    assert LogbookEntry.objects.count() == 1


def test_booking_and_maintenance_notifications_for_one_flight_make_one_flight(
        name, aircraft, booking, django_capture_on_commit_callbacks):
    maintenance = maintenance_reservation_for(aircraft)
    with django_capture_on_commit_callbacks(execute=True):
        post(body_for(maintenance), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    with django_capture_on_commit_callbacks(execute=True):
        post(body_for(name), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    assert FlightNotification.objects.count() == 2
    flight = Flight.objects.get()
    assert flight.booking == booking and not flight.needs_assignment


def test_unknown_reservation_is_kept_as_an_unmatched_flight(notify_conn, aircraft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(body_for("deleted-booking@tac.example.com"), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    assert response.status_code == 200
    flight = Flight.objects.get()
    assert flight.booking is None and flight.needs_assignment
    assert flight.unmatched_reservation == "deleted-booking@tac.example.com" and flight.aircraft == aircraft


@pytest.mark.parametrize("body", [
    b"", b"not xml", b"<notification id='1'/>",
    b"<notification id='1'><reservation name='x@y'/></notification>",
    b"<?xml version='1.0'?><!DOCTYPE n [<!ENTITY e 'x'>]><notification>&e;</notification>",
    b"<flight id='1'/>",
])
def test_malformed_is_400_and_nothing_stored(name, body):
    response = post(body, HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    assert response.status_code == 400 and response.content.startswith(b"Bad notification")
    assert not FlightNotification.objects.exists()


@pytest.mark.parametrize("flight_id", ["12\r\nX: y", 'a"b', "a b", "../7", "-7", "7;", "é7", "9" * 65])
def test_a_flight_id_that_is_not_a_plain_token_is_400_and_nothing_stored(name, flight_id,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(body_for(name, flight_id=flight_id), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    assert response.status_code == 400 and b"(flight_id_invalid)" in response.content
    assert not FlightNotification.objects.exists() and not Flight.objects.exists()


@pytest.mark.parametrize("flight_id", ["7", "3189", "A1", "f-2030.06_10", "9" * 64])
def test_plain_token_flight_ids_are_received(name, flight_id, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(body_for(name, flight_id=flight_id), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    assert response.status_code == 200 and Flight.objects.get().wiflight_id == flight_id


def test_oversized_body_is_413_before_anything_else(name, settings):
    settings.WIFLIGHT_NOTIFY_MAX_BYTES = 1000
    assert post(body_for(name) + b" " * 1000, HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET)).status_code == 413
    assert not FlightNotification.objects.exists()


def test_get_is_405(name):
    assert Client().get(URL).status_code == 405


def test_another_club_cannot_shadow_this_clubs_notification(name, other_club, django_capture_on_commit_callbacks):
    from integrations.wiflight.models import WiFlightConnection

    other = WiFlightConnection(organization=other_club, match_domain="x", notify_username=NOTIFY_USER)
    other.notify_secret_encrypted = __import__("core.crypto", fromlist=["encrypt_text"]).encrypt_text("other-secret")
    other.save()
    # The other club posts first, with its own secret, naming our reservation and flight id.
    assert post(body_for(name), url="/wiflight/notify/other/",
                HTTP_AUTHORIZATION=basic(NOTIFY_USER, "other-secret")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = post(body_for(name), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    assert response.status_code == 200
    ours = FlightNotification.objects.get(organization__slug="tac")
    assert ours.state == "processed"
    assert Flight.objects.filter(organization__slug="tac", booking__isnull=False).count() == 1


def test_failed_processing_is_retried_by_the_sweep_then_by_an_admin(name, admin, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from integrations.wiflight import flight_services
    from tests.conftest import client_for

    real_ingest = flight_services.flight_ingest
    monkeypatch.setattr(flight_services, "flight_ingest", lambda **kw: (_ for _ in ()).throw(ValueError("boom")))
    with django_capture_on_commit_callbacks(execute=True):
        post(body_for(name), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    row = FlightNotification.objects.get()
    assert row.state == "failed" and row.attempts == 1 and row.retry_at > timezone.now()
    assert flight_services.notifications_sweep() == 0  # not due yet
    FlightNotification.objects.update(retry_at=timezone.now() - timedelta(seconds=1))
    assert flight_services.notifications_sweep() == 1
    row.refresh_from_db()
    assert row.attempts == 2 and row.state == "failed"
    monkeypatch.setattr(flight_services, "flight_ingest", real_ingest)
    FlightNotification.objects.update(attempts=6, retry_at=None)  # given up: an admin retries
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin).post(f"/o/tac/wiflight/notifications/{row.pk}/retry/")
    row.refresh_from_db()
    assert row.state == "processed" and Flight.objects.count() == 1


def test_metrics_count_notifications(name, settings, client, django_capture_on_commit_callbacks):
    settings.METRICS_TOKEN = "t"
    with django_capture_on_commit_callbacks(execute=True):
        post(body_for(name), HTTP_AUTHORIZATION=basic(NOTIFY_USER, SECRET))
    body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
    assert 'flightline_wiflight_notifications{state="processed"} 1' in body
