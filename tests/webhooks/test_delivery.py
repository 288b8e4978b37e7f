"""Delivery over real HTTP to a receiver on loopback, by the worker task (Celery eager: the
kick on commit delivers inline); signatures checked by standardwebhooks."""

from datetime import timedelta

import pytest
import urllib3.util.connection
from django.utils import timezone

from dispatch.models import Booking, BookingCrew
from dispatch.services.bookings import BookingInput, booking_cancel, booking_update
from flights.services.manual_entries import ManualEntryInput, logbook_entry_create
from integrations.webhooks import delivery
from integrations.webhooks.models import WebhookEndpoint, WebhookMessage
from integrations.webhooks.signing import new_secret
from tests.conftest import at

State = WebhookMessage.State


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run each write's on-commit callbacks (the kicks) as its transaction would on commit."""
    def _run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)
    return _run


@pytest.fixture
def clock(monkeypatch):
    """clock.move(hours): timezone.now() runs that far ahead from now on."""
    real_now = timezone.now

    class Clock:
        offset = timedelta()

        def move(self, hours: float) -> None:
            self.offset += timedelta(hours=hours)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


def _entry(actor):
    return logbook_entry_create(actor=actor, data=ManualEntryInput(date=at(12, 9).date(), registration="F-HIJK",
                                                                   block_minutes=60))


def test_a_new_flight_log_entry_reaches_the_receiver_signed(receiver, hook, pilot, commits):
    endpoint, secret = hook
    entry = commits(_entry, pilot)
    [got] = receiver.received
    document = got.verified_with(secret)
    assert document["type"] == "flight_log.created" and document["organization"] == "tac"
    assert document["object"] == {"type": "flight_log", "id": entry.pk}
    assert document["data"]["entry_ids"] == [entry.pk] and document["data"]["membership_ids"] == [pilot.pk]
    message = WebhookMessage.objects.get()
    assert got.headers["webhook-id"] == message.msg_id and message.msg_id.startswith("msg_")
    assert got.headers["content-type"] == "application/json" and got.path == "/hooks/flightline"
    assert got.headers["user-agent"].startswith("Flightline-Webhooks")
    assert (message.state, message.attempts, message.last_status_code) == (State.DELIVERED, 1, 200)
    assert message.response_excerpt == '{"ok": true}' and message.last_duration_ms is not None


def test_a_500_is_retried_with_backoff_under_the_same_id(receiver, hook, pilot, commits, clock, settings):
    settings.WEBHOOK_BACKOFF_BASE = 10
    endpoint, secret = hook
    receiver.answer(500, 503, 200)
    commits(_entry, pilot)
    message = WebhookMessage.objects.get()
    assert (message.state, message.attempts, message.last_status_code) == (State.FAILED, 1, 500)
    assert "500" in message.last_error and len(message.response_excerpt) == 200
    first_wait = message.next_attempt_at - message.last_attempt_at
    assert timedelta(0) <= first_wait <= timedelta(seconds=20)  # base * 2 ** 1, full jitter
    for expected in (State.FAILED, State.DELIVERED):
        clock.move(hours=1)
        delivery.drain(time_budget=5)
        message.refresh_from_db()
        assert message.state == expected
    assert message.attempts == 3 and len(receiver.received) == 3
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    for got in receiver.received:
        got.verified_with(secret)


def test_backoff_is_exponential_with_full_jitter_and_honours_retry_after(settings):
    settings.WEBHOOK_BACKOFF_BASE, settings.WEBHOOK_BACKOFF_CAP = 10, 7200
    samples = [delivery.backoff_seconds(3) for _ in range(300)]
    assert 0 <= min(samples) < 20 and max(samples) <= 80
    assert all(delivery.backoff_seconds(40) <= 7200 for _ in range(50))
    assert delivery.backoff_seconds(1, retry_after=600) >= 600


def test_after_three_days_of_failures_the_message_is_dead(receiver, hook, pilot, commits, clock):
    receiver.answer(500)
    commits(_entry, pilot)
    clock.move(hours=73)
    delivery.drain(time_budget=5)
    message = WebhookMessage.objects.get()
    assert message.state == State.DEAD and message.attempts == 2


def test_410_gone_switches_the_endpoint_off_and_says_why(receiver, hook, pilot, club, commits):
    endpoint, _ = hook
    receiver.answer(410)
    commits(_entry, pilot)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "410" in endpoint.disabled_reason
    assert WebhookMessage.objects.get().state == State.DEAD
    assert club.audit_events.filter(action="webhook.endpoint_disabled").exists()
    commits(_entry, pilot)
    assert WebhookMessage.objects.count() == 1 and len(receiver.received) == 1  # nothing more is recorded


def test_a_receiver_down_for_an_hour_gets_everything_afterwards_once_each_in_order(
        receiver, hook, pilot, pilot2, dispatcher, book, aircraft, aircraft2, commits, clock):
    endpoint, secret = hook
    receiver.stop()  # nothing listens on its port now
    first = commits(book, aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])
    second = commits(book, aircraft2, at(10, 9), at(10, 11), [(pilot2, BookingCrew.Role.PIC)])
    commits(booking_update, actor=dispatcher, booking=first, data=BookingInput(
        aircraft=aircraft, start=at(10, 10), end=at(10, 12), crew=[(pilot, BookingCrew.Role.PIC)]))
    commits(booking_cancel, actor=dispatcher, booking=Booking.objects.get(pk=first.pk))
    commits(booking_cancel, actor=dispatcher, booking=Booking.objects.get(pk=second.pk))
    messages = list(WebhookMessage.objects.order_by("pk"))
    assert [m.state for m in messages] == [State.FAILED, State.FAILED, State.PENDING, State.PENDING, State.PENDING]
    # Only the oldest message of each booking was tried: the others wait their turn.
    assert [m.attempts for m in messages] == [1, 1, 0, 0, 0]
    assert "Could not connect" in messages[0].last_error and messages[0].last_status_code is None

    clock.move(hours=1)
    receiver.start()  # back, on the same port
    assert delivery.drain(time_budget=10) == 5
    assert set(WebhookMessage.objects.values_list("state", flat=True)) == {State.DELIVERED}
    documents = [got.verified_with(secret) for got in receiver.received]
    assert sorted(got.headers["webhook-id"] for got in receiver.received) == sorted(m.msg_id for m in messages)
    by_booking = {}
    for document in documents:
        by_booking.setdefault(document["object"]["id"], []).append(document["type"])
    assert by_booking == {first.pk: ["booking.created", "booking.changed", "booking.cancelled"],
                          second.pk: ["booking.created", "booking.cancelled"]}


def test_an_older_failing_message_holds_back_only_its_own_object(receiver, make_endpoint, pilot, pilot2, book,
                                                                 aircraft, aircraft2, dispatcher, commits, clock):
    make_endpoint(receiver.url, events=["booking.created", "booking.changed"])
    receiver.answer(500, 200)
    held = commits(book, aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])  # 500
    commits(booking_update, actor=dispatcher, booking=held, data=BookingInput(
        aircraft=aircraft, start=at(10, 9), end=at(10, 12), crew=[(pilot, BookingCrew.Role.PIC)]))
    other = commits(book, aircraft2, at(10, 9), at(10, 11), [(pilot2, BookingCrew.Role.PIC)])  # 200
    created, changed, other_created = WebhookMessage.objects.order_by("pk")
    assert (created.state, changed.state, changed.attempts, other_created.state) == (
        State.FAILED, State.PENDING, 0, State.DELIVERED)
    assert other_created.object_id == str(other.pk)
    clock.move(hours=1)
    delivery.drain(time_budget=5)
    assert [r.document["type"] for r in receiver.received] == ["booking.created", "booking.created",
                                                               "booking.created", "booking.changed"]


def test_two_workers_never_hold_one_message(hook, pilot, django_capture_on_commit_callbacks, clock, settings):
    with django_capture_on_commit_callbacks(execute=False):
        _entry(pilot)
    first = delivery.claim_due(owner="worker-a", limit=10)
    assert len(first) == 1 and delivery.claim_due(owner="worker-b", limit=10) == []
    clock.move(hours=settings.WEBHOOK_LEASE_SECONDS / 3600 + 0.01)  # worker-a died mid-send
    [again] = delivery.claim_due(owner="worker-b", limit=10)
    assert again.pk == first[0].pk
    # worker-a comes back late: its result is not recorded over worker-b's lease.
    from integrations.webhooks.client import Attempt

    assert delivery._record(first[0], "worker-a", Attempt(status=200, duration_ms=1)) == State.DELIVERED
    message = WebhookMessage.objects.get()
    assert (message.state, message.lease_owner) == (State.PENDING, "worker-b")


@pytest.mark.parametrize("url", ["http://10.0.0.1/hooks", "http://169.254.169.254/latest/meta-data/"])
def test_a_private_address_is_refused_without_a_connection(url, settings, club, pilot, monkeypatch, commits):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    opened = []

    def record(address, *args, **kwargs):
        opened.append(address)
        raise ConnectionRefusedError("recorded, not connected")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", record)
    # As if its name resolved elsewhere after it was saved (the services refuse it at save time).
    endpoint = WebhookEndpoint(organization=club, url=url, events=["flight_log.created"])
    endpoint.set_secret(new_secret())
    endpoint.save()
    commits(_entry, pilot)
    message = WebhookMessage.objects.get()
    assert message.state == State.FAILED and message.last_status_code is None
    assert "outbound_address_refused" in message.last_error and opened == []


def test_the_error_shown_never_carries_the_url(club, pilot, commits):
    from tests.tcp_servers import closed_port

    endpoint = WebhookEndpoint(organization=club, url=f"http://127.0.0.1:{closed_port()}/in?token=sekrit",
                               events=["flight_log.created"])
    endpoint.set_secret(new_secret())
    endpoint.save()
    commits(_entry, pilot)
    message = WebhookMessage.objects.get()
    assert message.state == State.FAILED
    assert "sekrit" not in message.last_error and "127.0.0.1" not in message.last_error


def test_a_redirect_is_not_followed(club, pilot, commits):
    from tests.tcp_servers import tcp_server

    with tcp_server("http_redirect") as server:
        endpoint = WebhookEndpoint(organization=club, url=f"http://127.0.0.1:{server.port}/in",
                                   events=["flight_log.created"])
        endpoint.set_secret(new_secret())
        endpoint.save()
        commits(_entry, pilot)
    message = WebhookMessage.objects.get()
    assert (message.state, message.last_status_code, len(server.heads)) == (State.FAILED, 302, 1)
    assert "redirects are not followed" in message.last_error


def test_a_rotation_signs_with_both_secrets_until_it_ends(receiver, hook, admin, pilot, commits):
    from standardwebhooks.webhooks import WebhookVerificationError

    from integrations.webhooks.endpoints import endpoint_rotation_end, endpoint_secret_rotate

    endpoint, old = hook
    new = endpoint_secret_rotate(actor=admin, endpoint=endpoint)
    commits(_entry, pilot)
    during = receiver.received[-1]
    during.verified_with(old)
    during.verified_with(new)
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert endpoint_rotation_end(actor=admin, endpoint=endpoint)
    commits(_entry, pilot)
    after = receiver.received[-1]
    after.verified_with(new)
    with pytest.raises(WebhookVerificationError):
        after.verified_with(old)


def test_the_previous_secret_stops_signing_when_the_rotation_expires(receiver, hook, admin, pilot, commits, clock,
                                                                     settings):
    from integrations.webhooks.endpoints import endpoint_secret_rotate

    endpoint, old = hook
    new = endpoint_secret_rotate(actor=admin, endpoint=endpoint)
    clock.move(hours=settings.WEBHOOK_SECRET_ROTATION_HOURS + 1)
    commits(_entry, pilot)
    assert receiver.received[-1].headers["webhook-signature"].count("v1,") == 1
    receiver.received[-1].verified_with(new)


def test_send_again_requeues_a_delivered_message_under_its_id_and_audits(receiver, hook, admin, pilot, club,
                                                                         commits):
    commits(_entry, pilot)
    message = WebhookMessage.objects.get()
    assert commits(delivery.message_resend, actor=admin, message_id=message.pk) is True
    assert [r.headers["webhook-id"] for r in receiver.received] == [message.msg_id, message.msg_id]
    assert WebhookMessage.objects.get().state == State.DELIVERED
    assert club.audit_events.filter(action="webhook.message_resent").exists()


def test_send_again_of_a_queued_message_does_nothing(hook, admin, pilot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _entry(pilot)
    assert delivery.message_resend(actor=admin, message_id=WebhookMessage.objects.get().pk) is False


def test_the_log_forgets_finished_messages_after_the_retention_but_never_undelivered_ones(
        receiver, hook, pilot, commits, clock, settings):
    commits(_entry, pilot)  # delivered
    receiver.answer(500)
    commits(_entry, pilot)  # failing
    clock.move(hours=24 * settings.WEBHOOK_LOG_RETENTION_DAYS + 1)
    assert delivery.messages_prune() == 1
    assert list(WebhookMessage.objects.values_list("state", flat=True)) == [State.FAILED]
