"""The subscriber: one outbox message per (matching active endpoint, event), written in the
writer's transaction, nothing sent before the commit."""

import json

import pytest
from django.db import transaction

from clubs.services import member_set_active
from dispatch.models import BookingCrew
from flights.services.manual_entries import ManualEntryInput, logbook_entry_create
from integrations.webhooks.catalogue import EVENTS
from integrations.webhooks.models import WebhookMessage
from tests.conftest import at


def _entry(actor):
    return logbook_entry_create(actor=actor, data=ManualEntryInput(date=at(12, 9).date(), registration="F-HIJK",
                                                                   block_minutes=60))


def test_every_webhook_event_is_a_change_event():
    from clubs.changes import EVENTS as CHANGE_EVENTS

    assert set(EVENTS.values()) <= set(CHANGE_EVENTS)
    assert EVENTS["member.removed"] == "member.deactivated"


def test_the_message_is_written_in_the_transaction_and_sent_after_commit(receiver, hook, pilot, club,
                                                                         django_capture_on_commit_callbacks):
    endpoint, _ = hook
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = _entry(pilot)
    message = WebhookMessage.objects.get()
    assert (message.endpoint, message.event, message.state) == (endpoint, "flight_log.created", "pending")
    assert (message.object_type, message.object_id, message.ordering_key) == ("flight_log", str(entry.pk),
                                                                              f"flight_log:entry:{entry.pk}")
    assert receiver.received == [] and len(callbacks) == 1  # nothing sent inside the writer's transaction
    callbacks[0]()
    message.refresh_from_db()
    assert message.state == "delivered" and len(receiver.received) == 1


def test_the_body_is_the_change_payload_with_type_timestamp_club_and_object(hook, pilot, club,
                                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        entry = _entry(pilot)
    body = json.loads(WebhookMessage.objects.get().body)
    assert body == {"type": "flight_log.created", "timestamp": body["timestamp"], "organization": "tac",
                    "object": {"type": "flight_log", "id": entry.pk},
                    "actor": {"type": "member", "id": pilot.pk, "name": pilot.user.display_name},
                    "data": {"flight_id": None, "booking_id": None, "entry_ids": [entry.pk],
                             "membership_ids": [pilot.pk]}}
    assert body["timestamp"].endswith("+00:00")


def test_a_rolled_back_change_leaves_no_message(hook, pilot, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            _entry(pilot)
            raise RuntimeError("the writer fails after recording")
    assert not WebhookMessage.objects.exists() and receiver.received == []


def test_only_active_endpoints_that_chose_the_event(make_endpoint, receiver, pilot, dispatcher, book, aircraft,
                                                    django_capture_on_commit_callbacks):
    wants_bookings, _ = make_endpoint(receiver.url, events=["booking.created"])
    wants_log, _ = make_endpoint(receiver.url, events=["flight_log.created"])
    switched_off, _ = make_endpoint(receiver.url, events=["booking.created", "flight_log.created"])
    switched_off.is_active = False
    switched_off.save()
    with django_capture_on_commit_callbacks(execute=False):
        book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])
        _entry(pilot)
    assert sorted(WebhookMessage.objects.values_list("endpoint_id", "event")) == sorted(
        [(wants_bookings.pk, "booking.created"), (wants_log.pk, "flight_log.created")])


def test_another_clubs_changes_reach_none_of_our_endpoints(hook, outsider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _entry(outsider)
    assert not WebhookMessage.objects.exists()


def test_a_deactivated_member_is_member_removed(make_endpoint, receiver, admin, pilot,
                                                django_capture_on_commit_callbacks):
    make_endpoint(receiver.url, events=["member.removed"])
    with django_capture_on_commit_callbacks(execute=False):
        member_set_active(actor=admin, membership=pilot, active=False)
        member_set_active(actor=admin, membership=pilot, active=True)  # member.reactivated: not offered
    message = WebhookMessage.objects.get()
    body = json.loads(message.body)
    assert (message.event, body["object"], body["data"]["active"]) == ("member.removed",
                                                                       {"type": "member", "id": pilot.pk}, False)


def test_events_not_offered_record_nothing(hook, pilot, book, aircraft, dispatcher, django_capture_on_commit_callbacks):
    from dispatch.services.dispatching import booking_check_out

    with django_capture_on_commit_callbacks(execute=False):
        booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])
    before = WebhookMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=False):
        booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    assert WebhookMessage.objects.count() == before  # booking.dispatched is not a webhook event
