"""The Calendar group: club events (calendars.services) listed by window, added, changed and
cancelled by admins, dispatchers and instructors; instructor availability read only."""

from datetime import datetime

import pytest

from calendars.models import ClubEvent
from dispatch.models import InstructorAvailability
from tests.api.conftest import base
from tests.conftest import at


def _error(response):
    return response.status_code, response.json()["error"]["code"]


def _body(**extra):
    return {"data": {"type": "event", "attributes": {
        "kind": "ground_school", "title": "Met briefing", "start": at(12, 18).isoformat(),
        "end": at(12, 20).isoformat(), **extra}}}


@pytest.fixture
def event(api, club):
    response = api.post(f"{base(club)}/events", _body(location="Clubhouse"))
    assert response.status_code == 201, response.content
    return ClubEvent.objects.get(pk=response.json()["data"]["id"])


def test_an_event_is_added_and_read_back(api, club, event, instructor):
    data = api.get(f"{base(club)}/events/{event.pk}").json()["data"]
    assert data["type"] == "event"
    a = data["attributes"]
    assert (a["kind"], a["title"], a["location"], a["cancelled"]) == ("ground_school", "Met briefing", "Clubhouse", False)
    assert datetime.fromisoformat(a["start"]) == at(12, 18) and a["uid"] == str(event.uid)


def test_the_list_keeps_to_the_window(api, club, event):
    def ids(**params):
        return [e["id"] for e in api.get(f"{base(club)}/events", params).json()["data"]]

    assert ids() == [str(event.pk)]
    assert ids(start=at(12, 20).isoformat()) == []  # it ends then
    assert ids(start=at(12, 19).isoformat(), end=at(12, 21).isoformat()) == [str(event.pk)]
    assert ids(end=at(12, 18).isoformat()) == []
    assert ids(kind="meeting") == []


@pytest.mark.parametrize("params, field", [
    ({"start": "tomorrow"}, "start"),
    ({"end": "2030-06-12T18:00:00"}, "end"),  # no offset: ambiguous
    ({"kind": "party"}, "kind"),
    ({"include_cancelled": "perhaps"}, "include_cancelled"),
])
def test_a_bad_filter_is_400_naming_it(api, club, params, field):
    response = api.get(f"{base(club)}/events", params)
    assert _error(response) == (400, "validation_error")
    assert response.json()["error"]["details"]["field"] == field


def test_patch_changes_what_is_given(api, club, event, instructor):
    response = api.patch(f"{base(club)}/events/{event.pk}", {"title": "Met and NOTAMs", "instructor": str(instructor.pk)})
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.title, event.instructor_id, event.location) == ("Met and NOTAMs", instructor.pk, "Clubhouse")


@pytest.mark.parametrize("attributes, status, code", [
    ({"end": at(12, 17).isoformat()}, 422, "period_invalid"),
    ({"start": "garbage"}, 400, "validation_error"),
    ({"colour": "red"}, 400, "validation_error"),
    ({"title": "x" * 121}, 400, "validation_error"),
])
def test_a_bad_change_is_refused_and_changes_nothing(api, club, event, attributes, status, code):
    response = api.patch(f"{base(club)}/events/{event.pk}", attributes)
    assert _error(response) == (status, code), response.content
    event.refresh_from_db()
    assert (event.title, event.end) == ("Met briefing", at(12, 20))


def test_delete_cancels_and_the_list_leaves_it_out(api, club, event):
    response = api.delete(f"{base(club)}/events/{event.pk}")
    assert response.status_code == 200 and response.json()["data"]["attributes"]["cancelled"] is True
    assert api.get(f"{base(club)}/events").json()["data"] == []
    listed = api.get(f"{base(club)}/events", {"include_cancelled": "true"}).json()["data"]
    assert [e["id"] for e in listed] == [str(event.pk)]
    assert _error(api.patch(f"{base(club)}/events/{event.pk}", {"title": "Back on"})) == (409, "event_cancelled")


def test_a_pilot_reads_events_but_may_not_add_them(token_for, club, event, pilot, instructor):
    as_pilot = token_for(pilot)
    assert [e["id"] for e in as_pilot.get(f"{base(club)}/events").json()["data"]] == [str(event.pk)]
    assert _error(as_pilot.post(f"{base(club)}/events", _body())) == (403, "not_allowed")
    assert _error(as_pilot.delete(f"{base(club)}/events/{event.pk}")) == (403, "not_allowed")
    assert token_for(instructor).post(f"{base(club)}/events", _body(kind="meeting")).status_code == 201


def test_a_read_key_may_not_add(api_read, club):
    assert _error(api_read.post(f"{base(club)}/events", _body())) == (403, "insufficient_scope")
    assert not ClubEvent.objects.exists()


def test_another_clubs_events_are_not_found(other_api, club, event):
    assert other_api.get(f"{base(club)}/events").status_code == 404
    assert other_api.delete(f"{base(club)}/events/{event.pk}").status_code == 404
    event.refresh_from_db()
    assert event.cancelled_at is None


def test_an_instructor_of_another_club_is_not_found(api, club, outsider):
    assert _error(api.post(f"{base(club)}/events", _body(instructor=str(outsider.pk)))) == (404, "unknown_member")


def test_instructor_availability_is_listed_by_window_and_instructor(api, club, instructor, pilot):
    hours = InstructorAvailability.objects.create(organization=club, instructor=instructor, start=at(11, 8),
                                                  end=at(11, 12), note="Circuits")
    rows = api.get(f"{base(club)}/instructor-availability").json()["data"]
    assert rows == [{"id": str(hours.pk), "type": "instructor_availability", "attributes": {
        "instructor_id": str(instructor.pk), "instructor": instructor.user.display_name,
        "start": rows[0]["attributes"]["start"], "end": rows[0]["attributes"]["end"], "note": "Circuits"}}]
    assert datetime.fromisoformat(rows[0]["attributes"]["start"]) == at(11, 8)
    assert datetime.fromisoformat(rows[0]["attributes"]["end"]) == at(11, 12)
    assert api.get(f"{base(club)}/instructor-availability", {"start": at(11, 12).isoformat()}).json()["data"] == []
    assert api.get(f"{base(club)}/instructor-availability", {"instructor": str(pilot.pk)}).json()["data"] == []
    assert _error(api.get(f"{base(club)}/instructor-availability", {"end": "soon"})) == (400, "validation_error")
