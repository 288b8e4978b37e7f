"""calendars.services: who may keep the club's events, and what the service refuses."""

from datetime import datetime

import pytest

from calendars.models import ClubEvent
from calendars.services import EventInput, event_cancel, event_create, event_update
from clubs.models import AuditEvent
from core.errors import Conflict, Invalid, NotAllowed, NotFound
from tests.conftest import at


def _input(**over) -> EventInput:
    return EventInput(**{"kind": ClubEvent.Kind.GROUND_SCHOOL, "title": "Met briefing", "start": at(12, 18),
                         "end": at(12, 20), "location": "Clubhouse", **over})


@pytest.mark.parametrize("persona", ["admin", "dispatcher", "instructor"])
def test_managers_add_an_event(request, persona):
    actor = request.getfixturevalue(persona)
    event = event_create(actor=actor, data=_input())
    assert (event.organization, event.title, event.start, event.end) == (actor.organization, "Met briefing", at(12, 18), at(12, 20))
    assert AuditEvent.objects.filter(action="club_event.added", target_id=str(event.pk)).exists()


@pytest.mark.parametrize("persona", ["pilot", "student", "mechanic"])
def test_members_without_the_role_cannot_add(request, persona):
    with pytest.raises(NotAllowed) as exc:
        event_create(actor=request.getfixturevalue(persona), data=_input())
    assert exc.value.code == "not_allowed"
    assert not ClubEvent.objects.exists()


def test_end_before_start_is_refused(admin):
    with pytest.raises(Invalid) as exc:
        event_create(actor=admin, data=_input(start=at(12, 20), end=at(12, 18)))
    assert (exc.value.code, exc.value.field) == ("period_invalid", "end")
    assert not ClubEvent.objects.exists()


def test_an_event_of_another_club_does_not_exist_for_the_actor(admin, outsider):
    event = event_create(actor=admin, data=_input())
    with pytest.raises(NotFound):
        event_update(actor=outsider, event=event, data=_input(title="Hijacked"))
    with pytest.raises(NotFound):
        event_cancel(actor=outsider, event=event)
    event.refresh_from_db()
    assert (event.title, event.cancelled_at) == ("Met briefing", None)


def test_another_clubs_instructor_is_unknown(admin, outsider):
    with pytest.raises(NotFound) as exc:
        event_create(actor=admin, data=_input(instructor=outsider))
    assert exc.value.code == "unknown_member"


def test_a_cancelled_event_cannot_be_changed(admin):
    event = event_cancel(actor=admin, event=event_create(actor=admin, data=_input()))
    assert event.cancelled_at is not None
    with pytest.raises(Conflict) as exc:
        event_update(actor=admin, event=event, data=_input(title="Again"))
    assert exc.value.code == "event_cancelled"


def test_an_event_lasts_at_most_two_weeks(admin):
    with pytest.raises(Invalid) as exc:
        event_create(actor=admin, data=_input(start=at(10, 9), end=datetime(2030, 6, 30, 9, tzinfo=at(10, 9).tzinfo)))
    assert exc.value.code == "event_too_long"
