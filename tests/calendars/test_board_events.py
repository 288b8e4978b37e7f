"""The board lists the club's events of its window (calendars.extensions)."""

from calendars.services import EventInput, event_cancel, event_create
from tests.conftest import at


def _board(client, club, day="2030-06-12", view="day"):
    return client.get(f"/o/{club.slug}/board/?date={day}&view={view}")


def test_the_board_shows_the_days_events(as_user, club, admin, pilot, other_club, outsider):
    event_create(actor=admin, data=EventInput(kind="fly_in", title="Fly-in at Chartres", start=at(12, 10),
                                              end=at(12, 16), location="LFOR"))
    event_create(actor=outsider, data=EventInput(kind="meeting", title="Other club meeting", start=at(12, 10),
                                                 end=at(12, 12)))
    response = _board(as_user(pilot), club)
    assert response.status_code == 200
    events = response.context["board_events"]
    assert [(e["title"], e["start"], e["location"]) for e in events] == [("Fly-in at Chartres", at(12, 10), "LFOR")]
    assert "Fly-in at Chartres" in response.content.decode()
    assert "Other club meeting" not in response.content.decode()


def test_other_days_and_cancelled_events_stay_off(as_user, club, admin, pilot):
    event_create(actor=admin, data=EventInput(kind="meeting", title="Tomorrow's meeting", start=at(13, 19), end=at(13, 20)))
    gone = event_create(actor=admin, data=EventInput(kind="meeting", title="Called off", start=at(12, 19), end=at(12, 20)))
    event_cancel(actor=admin, event=gone)
    assert _board(as_user(pilot), club).context["board_events"] == []
    week = _board(as_user(pilot), club, view="week").context["board_events"]
    assert [e["title"] for e in week] == ["Tomorrow's meeting"]


def test_the_events_cost_one_query(as_user, club, admin, pilot, django_assert_max_num_queries):
    from calendars.extensions import board_events

    for hour in range(8, 18):
        event_create(actor=admin, data=EventInput(kind="other", title=f"Event {hour}", start=at(12, hour),
                                                  end=at(12, hour, 30)))

    class Board:
        start, end = at(12, 0), at(13, 0)

    class Request:
        club = None

    Request.club = club
    with django_assert_max_num_queries(1):
        events = board_events(request=Request, board=Board)["board_events"]
    assert len(events) == 10
