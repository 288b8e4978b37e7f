"""What the attack on issue 14 found in the calendars, each a test that failed first: one
event's control character broke every feed of the club, and one subscriber could cut the
others off an aircraft's feed."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from calendars.models import ClubEvent
from calendars.services import EventInput, event_create, feed_create
from core.errors import Invalid
from tests.conftest import client_for, make_member


@pytest.mark.parametrize("description", ["Bring\x07a pen", "Esc\x1b", "Page\x0cbreak"])
def test_an_event_with_control_characters_is_refused(club, dispatcher, description):
    start = timezone.now() + timedelta(days=2)
    with pytest.raises(Invalid) as exc:
        event_create(actor=dispatcher, data=EventInput(kind="meeting", title="AGM", start=start,
                                                       end=start + timedelta(hours=2), description=description))
    assert exc.value.code == "control_characters" and not ClubEvent.objects.exists()


def test_an_event_of_several_lines_is_kept(club, dispatcher):
    start = timezone.now() + timedelta(days=2)
    event = event_create(actor=dispatcher, data=EventInput(kind="meeting", title="AGM", start=start,
                                                           end=start + timedelta(hours=2), description="Agenda:\r\n\t1. Budget"))
    assert "Budget" in event.description


def test_each_subscriber_has_their_own_aircraft_address(club, admin, aircraft):
    viewer = make_member(club, "viewer", is_viewer=True)
    token = feed_create(actor=admin, aircraft=aircraft)
    mine = feed_create(actor=viewer, aircraft=aircraft)
    client_for(viewer).post(f"/o/{club.slug}/calendar/feeds/change/", {"aircraft": aircraft.pk, "action": "revoke"})
    assert Client().get(f"/feeds/{mine}.ics").status_code == 404
    assert Client().get(f"/feeds/{token}.ics").status_code == 200  # the admin's address still works


def test_a_feed_stops_when_its_owner_cannot_sign_in(club, admin, pilot, aircraft):
    token = feed_create(actor=admin, aircraft=aircraft)
    own = feed_create(actor=pilot, membership=pilot)
    for user in (admin.user, pilot.user):
        user.is_active = False
        user.save()
    assert Client().get(f"/feeds/{token}.ics").status_code == 404
    assert Client().get(f"/feeds/{own}.ics").status_code == 404
