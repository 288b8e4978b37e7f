"""Chapter 6.5: notifications queued on a match, POSTed to a real receiver, retried with backoff."""

import base64
import hashlib
import hmac
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from lxml import etree

from wiflight_sim.models import Notification, NotifyProfile
from wiflight_sim.notifications import deliver_due
from wiflight_sim.services.control import faults_update
from wiflight_sim.services.flights import flight_record
from wiflight_sim.tests.conftest import put, reservation_xml, utc


class Receiver:
    """A real HTTP server on loopback answering from a script of status codes."""

    def __init__(self, statuses):
        self.statuses, self.received = list(statuses), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/notify/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    holder = {}

    def start(*statuses):
        holder["r"] = Receiver(statuses)
        return holder["r"]

    yield start
    if "r" in holder:
        holder["r"].close()


def _match(admin_client, profile_name="club"):
    put(admin_client, "r1@example.com", reservation_xml(profile=profile_name, domain="booking"))
    flight, _ = flight_record(tail="C-ABCD", start=utc(2026, 3, 1, 10, 5), duration=3000)
    return flight


def test_match_queues_one_notification_with_flight_and_reservation(admin_client, receiver):
    recv = receiver(200)
    NotifyProfile.objects.create(name="club", url=recv.url, basic_user="wiflight", basic_password="s3cret")
    flight = _match(admin_client)
    notification = Notification.objects.get()
    assert notification.status == Notification.PENDING
    assert deliver_due() == 1
    headers, body = recv.received[0]
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"wiflight:s3cret").decode()
    assert headers["Content-Type"].startswith("application/xml")
    assert headers["X-WiFlight-Notification-Id"] == str(notification.pk)
    root = etree.fromstring(body)
    assert root.tag == "notification" and root.get("id") == str(notification.pk)
    assert root.find("flight").get("id") == str(flight.pk)
    assert root.find("flight/aircraft/tail").text == "C-ABCD"
    assert root.find("reservation").get("name") == "r1@example.com"
    assert root.find("reservation").get("domain") == "booking"
    notification.refresh_from_db()
    assert notification.status == Notification.DELIVERED and notification.attempts == 1


def test_hmac_signature_header(admin_client, receiver):
    recv = receiver(204)
    NotifyProfile.objects.create(name="club", url=recv.url, hmac_secret="shared")
    _match(admin_client)
    deliver_due()
    headers, body = recv.received[0]
    expected = "sha256=" + hmac.new(b"shared", body, hashlib.sha256).hexdigest()
    assert headers["X-WiFlight-Signature"] == expected
    assert "Authorization" not in headers


def test_failures_are_retried_with_exponential_backoff(admin_client, receiver, settings):
    settings.SIM_NOTIFY_BACKOFF_SECONDS = 10
    recv = receiver(500, 503, 200)
    NotifyProfile.objects.create(name="club", url=recv.url)
    _match(admin_client)
    notification = Notification.objects.get()
    now = notification.next_attempt_at
    assert deliver_due(now=now) == 0
    notification.refresh_from_db()
    assert (notification.attempts, notification.last_status) == (1, 500)
    assert notification.next_attempt_at - now == timedelta(seconds=10)
    assert deliver_due(now=now + timedelta(seconds=9)) == 0  # not due yet: nothing sent
    assert len(recv.received) == 1
    now = notification.next_attempt_at
    assert deliver_due(now=now) == 0
    notification.refresh_from_db()
    assert notification.next_attempt_at - now == timedelta(seconds=20)
    assert deliver_due(now=notification.next_attempt_at) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.DELIVERED, 3)
    assert [h["X-WiFlight-Attempt"] for h, _ in recv.received] == ["1", "2", "3"]
    assert len({body for _, body in recv.received}) == 1  # the same bytes every time


def test_unreachable_receiver_is_retried(admin_client, settings):
    NotifyProfile.objects.create(name="club", url="http://127.0.0.1:9/nothing-listens")
    _match(admin_client)
    assert deliver_due() == 0
    notification = Notification.objects.get()
    assert notification.status == Notification.PENDING and notification.attempts == 1
    assert notification.last_error


def test_paused_notifications_are_kept_then_sent(admin_client, receiver):
    recv = receiver(200)
    NotifyProfile.objects.create(name="club", url=recv.url)
    _match(admin_client)
    faults_update({"notifications_paused": True})
    assert deliver_due() == 0 and recv.received == []
    faults_update({"notifications_paused": False})
    assert deliver_due() == 1


def test_no_profile_no_notification(admin_client):
    put(admin_client, "r1@example.com", reservation_xml())
    flight_record(tail="C-ABCD", start=utc(2026, 3, 1, 10, 5), duration=3000)
    assert not Notification.objects.exists()


def test_one_notification_per_match_even_after_reservation_update(admin_client, receiver):
    recv = receiver()
    NotifyProfile.objects.create(name="club", url=recv.url)
    _match(admin_client)
    put(admin_client, "r1@example.com", reservation_xml(profile="club", domain="booking", end="20260301T113000Z"))
    assert Notification.objects.count() == 1
