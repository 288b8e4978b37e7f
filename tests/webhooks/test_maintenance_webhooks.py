"""Maintenance's and the calendar's webhooks over real HTTP to a receiver on loopback, signed
(verified by standardwebhooks): aircraft.status_changed when maintenance grounds an aircraft
(an item overdue after a check-in; the system did it: `actor` null) and when a person
grounds one; squawk.reported; event.changed."""

from decimal import Decimal

import pytest

from calendars.services import EventInput, event_create
from dispatch.services.dispatching import booking_check_in, booking_check_out
from dispatch.services.fleet import aircraft_set_status
from maintenance.services.items import ItemInput, item_create
from maintenance.services.squawks import squawk_report
from tests.conftest import at


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    def _run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)
    return _run


def _documents(receiver, secret) -> list[dict]:
    return [got.verified_with(secret) for got in receiver.received]


def test_an_item_overdue_after_check_in_grounds_with_a_system_message(receiver, make_endpoint, admin, dispatcher,
                                                                       aircraft, booking, commits):
    item_create(actor=admin, aircraft=aircraft, data=ItemInput(
        kind="hundred_hour", name="100-hour inspection", interval_hours=Decimal("100"), tolerance_hours=Decimal("0"),
        next_due_hours=Decimal("805.0")))
    endpoint, secret = make_endpoint(receiver.url, events=["aircraft.status_changed"])
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    assert receiver.received == []
    commits(booking_check_in, actor=dispatcher, booking=booking, hobbs_in=Decimal("1012.0"), tach_in=Decimal("810.0"))
    [document] = _documents(receiver, secret)
    assert document["type"] == "aircraft.status_changed" and document["organization"] == "tac"
    assert document["object"] == {"type": "aircraft", "id": aircraft.pk}
    assert document["actor"] is None  # maintenance grounded it, not a person
    assert document["data"]["status"] == "grounded"
    assert "100-hour inspection" in document["data"]["grounded_reason"]


def test_a_person_grounding_is_sent_with_who_did_it(receiver, make_endpoint, dispatcher, aircraft, commits):
    endpoint, secret = make_endpoint(receiver.url, events=["aircraft.status_changed"])
    commits(aircraft_set_status, actor=dispatcher, aircraft=aircraft, grounded=True, reason="Bird strike")
    [document] = _documents(receiver, secret)
    assert document["actor"] == {"type": "member", "id": dispatcher.pk, "name": dispatcher.user.display_name}
    assert (document["data"]["status"], document["data"]["grounded_reason"]) == ("grounded", "Bird strike")


def test_a_squawk_reported_is_sent_about_the_squawk(receiver, make_endpoint, pilot, aircraft, commits):
    endpoint, secret = make_endpoint(receiver.url, events=["squawk.reported", "aircraft.status_changed"])
    squawk = commits(squawk_report, actor=pilot, aircraft=aircraft, description="Nose wheel shimmy",
                     severity="grounding")
    documents = _documents(receiver, secret)
    assert [d["type"] for d in documents] == ["squawk.reported", "aircraft.status_changed"]
    reported, grounded = documents
    assert reported["object"] == {"type": "squawk", "id": squawk.pk}
    assert reported["actor"]["id"] == pilot.pk
    assert reported["data"] == {"id": squawk.pk, "aircraft_id": aircraft.pk, "severity": "grounding",
                                "status": "open", "booking_id": None, "reported_at": squawk.reported_at.isoformat()}
    assert grounded["actor"] is None and grounded["data"]["status"] == "grounded"


def test_a_squawk_written_at_check_in_is_reported_by_the_system(receiver, make_endpoint, dispatcher, booking, commits):
    endpoint, secret = make_endpoint(receiver.url, events=["squawk.reported"])
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    commits(booking_check_in, actor=dispatcher, booking=booking, hobbs_in=Decimal("1001.0"), tach_in=Decimal("801.0"),
            squawks="Radio crackles", squawk_severity="minor")
    [document] = _documents(receiver, secret)
    assert document["object"]["type"] == "squawk" and document["data"]["booking_id"] == booking.pk
    assert document["data"]["severity"] == "minor"


def test_an_event_added_is_sent_as_event_changed(receiver, make_endpoint, dispatcher, commits):
    endpoint, secret = make_endpoint(receiver.url, events=["event.changed"])
    event = commits(event_create, actor=dispatcher, data=EventInput(kind="fly_in", title="Fly-in to LFAQ",
                                                                     start=at(14, 9), end=at(14, 17)))
    [document] = _documents(receiver, secret)
    assert document["object"] == {"type": "event", "id": event.pk}
    assert (document["data"]["title"], document["data"]["cancelled"]) == ("Fly-in to LFAQ", False)


def test_a_change_made_with_an_api_key_names_the_key(receiver, make_endpoint, admin, aircraft, commits):
    from api.keys import api_key_create

    key, _ = api_key_create(actor=admin, name="Hangar tablet", scopes="read,write")
    endpoint, secret = make_endpoint(receiver.url, events=["squawk.reported"])
    commits(squawk_report, actor=key.actor, aircraft=aircraft, description="Fuel cap missing")
    [document] = _documents(receiver, secret)
    assert document["actor"]["type"] == "api_key" and document["actor"]["id"] == key.actor.pk
