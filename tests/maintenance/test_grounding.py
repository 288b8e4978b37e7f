"""Maintenance grounds and releases: an item overdue, a grounding squawk; the board, the
booking form and the API refuse the aircraft; only maintenance's answer releases it."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clubs.models import AuditEvent
from core.errors import Conflict
from dispatch.models import Aircraft, Booking
from dispatch.services.fleet import aircraft_set_status
from integrations.webhooks.models import WebhookMessage
from maintenance.models import MaintenanceItem
from maintenance.services.items import item_sign_off
from maintenance.services.squawks import squawk_clear, squawk_rate, squawk_report
from maintenance.tasks import check_due_all
from tests.api.conftest import ApiClient, base
from tests.conftest import at, client_for
from tests.maintenance.conftest import PIC, today_of

D = Decimal


def _status(aircraft):
    aircraft.refresh_from_db()
    return aircraft.status, aircraft.grounded_by_maintenance


def test_an_item_overdue_by_hours_after_a_check_in_grounds_the_aircraft(fly, aircraft, hundred_hour, make_endpoint,
                                                                         receiver):
    endpoint, _ = make_endpoint(receiver.url, events=["aircraft.status_changed"])
    fly(aircraft, "855.0", hours_ago=5)  # due at 850: within the 10 h tolerance, still flyable to the inspection
    assert _status(aircraft) == (Aircraft.Status.AVAILABLE, False)
    fly(aircraft, "860.1")
    assert _status(aircraft) == (Aircraft.Status.GROUNDED, True)
    assert aircraft.grounded_reason.startswith("100-hour inspection: overdue")
    grounded = AuditEvent.objects.get(action="aircraft.grounded")
    assert grounded.actor is None and grounded.target_id == str(aircraft.pk)
    message = WebhookMessage.objects.get(endpoint=endpoint)
    assert message.event == "aircraft.status_changed"
    assert json.loads(message.body)["data"]["status"] == "grounded"


def test_a_grounded_aircraft_marks_its_bookings_at_risk_and_cannot_be_booked(fly, book, dispatcher, pilot, pilot2,
                                                                             aircraft, hundred_hour, club, write_key):
    later = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    fly(aircraft, "861.0")
    assert Booking.objects.get(pk=later.pk).status == Booking.Status.BOOKED
    board = client_for(dispatcher).get(reverse("dispatch:board", args=[club.slug]), {"date": "2030-06-10"})
    assert "at risk: aircraft grounded" in board.content.decode()

    form = client_for(dispatcher).post(reverse("dispatch:booking_new", args=[club.slug]), {
        "aircraft": aircraft.pk, "start": "2030-06-11T09:00", "end": "2030-06-11T11:00", "pic": pilot2.pk,
        "purpose": "rental"})
    assert form.status_code == 400 and "is grounded" in form.content.decode()

    api = ApiClient(write_key[1])
    response = api.post(f"{base(club)}/bookings", {"data": {"type": "booking", "attributes": {
        "aircraft": aircraft.registration, "start": at(12, 9).isoformat(), "end": at(12, 11).isoformat(),
        "crew": [{"member": str(pilot2.pk), "role": "pic"}]}}})
    assert response.status_code == 409 and response.json()["error"]["code"] == "aircraft_grounded"
    assert Booking.objects.filter(aircraft=aircraft).count() == 2  # the later one and the one flown


def test_a_person_cannot_release_what_maintenance_holds_and_a_sign_off_does(fly, dispatcher, mechanic, aircraft,
                                                                          hundred_hour, club):
    fly(aircraft, "861.0")
    with pytest.raises(Conflict) as exc:
        aircraft_set_status(actor=dispatcher, aircraft=aircraft, grounded=False)
    assert exc.value.code == "maintenance_holds_aircraft"
    assert _status(aircraft) == (Aircraft.Status.GROUNDED, True)
    sign_off = item_sign_off(actor=mechanic, item=hundred_hour, done_on=today_of(club))
    assert sign_off.done_hours == D("861.0") and sign_off.next_due_hours == D("950.0")  # from the due point
    assert _status(aircraft) == (Aircraft.Status.AVAILABLE, False)
    assert AuditEvent.objects.filter(action="aircraft.released", actor=None).exists()


def test_a_date_item_falling_overdue_is_grounded_by_the_beat(aircraft, annual, club, mechanic):
    assert _status(aircraft) == (Aircraft.Status.AVAILABLE, False)
    # The calendar moves on: the annual's due day is now yesterday.
    MaintenanceItem.objects.filter(pk=annual.pk).update(next_due_on=today_of(club) - timedelta(days=1))
    assert check_due_all() == 1
    assert _status(aircraft) == (Aircraft.Status.GROUNDED, True)
    assert check_due_all() == 0  # idempotent
    item_sign_off(actor=mechanic, item=annual, done_on=today_of(club))
    assert _status(aircraft) == (Aircraft.Status.AVAILABLE, False)


def test_a_persons_own_grounding_is_not_released_by_a_sign_off(dispatcher, mechanic, aircraft, hundred_hour, club):
    aircraft_set_status(actor=dispatcher, aircraft=aircraft, grounded=True, reason="Bird strike, awaiting inspection")
    assert _status(aircraft) == (Aircraft.Status.GROUNDED, False)
    MaintenanceItem.objects.filter(pk=hundred_hour.pk).update(next_due_hours=D("780.0"))
    check_due_all()
    item_sign_off(actor=mechanic, item=hundred_hour, done_on=today_of(club))
    aircraft.refresh_from_db()
    assert aircraft.is_grounded and not aircraft.grounded_by_maintenance
    assert aircraft.grounded_reason == "Bird strike, awaiting inspection"


def test_a_grounding_squawk_grounds_until_cleared(pilot, mechanic, aircraft):
    squawk = squawk_report(actor=pilot, aircraft=aircraft, description="Oil leak at the cowling", severity="grounding")
    assert _status(aircraft) == (Aircraft.Status.GROUNDED, True)
    assert "Oil leak" in aircraft.grounded_reason
    squawk_clear(actor=mechanic, squawk=squawk, note="Gasket replaced")
    assert _status(aircraft) == (Aircraft.Status.AVAILABLE, False)


def test_a_grounding_squawk_at_check_in_grounds_and_deferring_it_releases(fly, book, pilot, mechanic, dispatcher,
                                                                         aircraft, club):
    fly(aircraft, "801.0", squawks="Left brake soft", squawk_severity="grounding")
    assert _status(aircraft) == (Aircraft.Status.GROUNDED, True)
    squawk = aircraft.squawk_reports.get()
    assert squawk.reported_by == dispatcher.user and squawk.booking_id is not None
    squawk_rate(actor=mechanic, squawk=squawk, severity="deferred", note="Within limits until the 100-hour")
    assert _status(aircraft) == (Aircraft.Status.AVAILABLE, False)
    start = timezone.now() + timedelta(hours=2)
    nxt = book(aircraft, start, start + timedelta(hours=1), [(pilot, PIC)])
    page = client_for(dispatcher).get(reverse("dispatch:booking", args=[club.slug, nxt.pk]))
    assert [s.pk for s in page.context["deferred_squawks"]] == [squawk.pk]
    html = page.content.decode()
    assert "Deferred squawks on F-GABC" in html and "Left brake soft" in html
