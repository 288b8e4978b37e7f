"""The club events pages: every member reads; admins, dispatchers and instructors keep them."""

import pytest

from calendars.models import ClubEvent
from calendars.services import EventInput, event_create
from tests.conftest import at

FORM = {"kind": "ground_school", "title": "Night rating theory", "start": "2030-06-12T18:00",
        "end": "2030-06-12T21:00", "location": "Clubhouse", "description": "Bring your charts."}


def _url(club, tail=""):
    return f"/o/{club.slug}/calendar/{tail}"


@pytest.fixture
def event(admin):
    return event_create(actor=admin, data=EventInput(kind="meeting", title="General assembly", start=at(14, 19),
                                                     end=at(14, 21)))


@pytest.mark.parametrize("persona", ["admin", "pilot", "student", "mechanic"])
def test_every_member_sees_the_upcoming_events(request, as_user, club, event, persona, monkeypatch):
    response = as_user(request.getfixturevalue(persona)).get(_url(club))
    assert response.status_code == 200
    assert "General assembly" in response.content.decode()


def test_an_outsider_gets_404(as_user, club, outsider):
    assert as_user(outsider).get(_url(club)).status_code == 404


def test_an_instructor_adds_an_event_in_the_clubs_time(as_user, club, instructor):
    response = as_user(instructor).post(_url(club, "events/new/"), FORM)
    assert response.status_code == 302
    event = ClubEvent.objects.get()
    # 18:00 in Paris in June is 16:00 UTC.
    assert (event.title, event.start, event.end, event.location) == ("Night rating theory", at(12, 18), at(12, 21), "Clubhouse")


@pytest.mark.parametrize("persona", ["pilot", "student", "mechanic", "outsider"])
def test_others_cannot_add(request, as_user, club, persona):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(_url(club, "events/new/")).status_code == 404
    assert client.post(_url(club, "events/new/"), FORM).status_code == 404
    assert not ClubEvent.objects.exists()


@pytest.mark.parametrize("bad", [
    {"end": "2030-06-12T17:00"},            # end before start
    {"start": "not a date"},                # garbage
    {"end": "2030-13-45T99:99"},            # garbage
    {"start": "99999-01-01T00:00"},         # out of range
    {"title": ""},
    {"kind": "party"},
])
def test_bad_input_is_400_and_saves_nothing(as_user, club, dispatcher, bad):
    response = as_user(dispatcher).post(_url(club, "events/new/"), {**FORM, **bad})
    assert response.status_code == 400
    assert not ClubEvent.objects.exists()


def test_end_before_start_says_so_on_the_end_field(as_user, club, dispatcher):
    response = as_user(dispatcher).post(_url(club, "events/new/"), {**FORM, "end": "2030-06-12T17:00"})
    assert response.context["form"].errors["end"] == ["The end must be after the start."]


def test_edit_and_cancel(as_user, club, dispatcher, event):
    client = as_user(dispatcher)
    assert client.get(_url(club, f"events/{event.pk}/edit/")).status_code == 200
    response = client.post(_url(club, f"events/{event.pk}/edit/"), {**FORM, "title": "Assembly (moved)"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.start) == ("Assembly (moved)", at(12, 18))
    assert client.post(_url(club, f"events/{event.pk}/cancel/")).status_code == 302
    event.refresh_from_db()
    assert event.cancelled_at is not None
    assert list(client.get(_url(club)).context["events"]) == []
    assert client.get(_url(club, f"events/{event.pk}/edit/")).status_code == 404


def test_a_pilot_cannot_cancel(as_user, club, pilot, event):
    assert as_user(pilot).post(_url(club, f"events/{event.pk}/cancel/")).status_code == 404
    event.refresh_from_db()
    assert event.cancelled_at is None


def test_another_clubs_admin_cannot_touch_the_event(as_user, other_club, outsider, event):
    client = as_user(outsider)
    assert client.post(f"/o/{other_club.slug}/calendar/events/{event.pk}/cancel/").status_code == 404
    assert client.post(f"/o/{other_club.slug}/calendar/events/{event.pk}/edit/", FORM).status_code == 404
    event.refresh_from_db()
    assert (event.title, event.cancelled_at) == ("General assembly", None)
