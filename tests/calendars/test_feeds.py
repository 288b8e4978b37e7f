"""The private iCalendar feeds: their address, who may have one, and what they hold, read
back with icalendar and with an independent strict parser (the `ical` package)."""

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from ical.calendar_stream import IcsCalendarStream

from calendars import selectors
from calendars.models import CalendarFeed
from calendars.services import EventInput, event_cancel, event_create, feed_create, feed_revoke
from core.errors import NotAllowed, NotFound
from dispatch.models import BookingCrew
from dispatch.services.bookings import booking_cancel
from maintenance.models import MaintenanceItem
from tests.conftest import at

UTC = dt_timezone.utc
PARIS = ZoneInfo("Europe/Paris")
PIC, INSTRUCTOR, STUDENT = BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR, BookingCrew.Role.STUDENT


@pytest.fixture(autouse=True)
def _feeds_reach_the_test_years(monkeypatch):
    # The tests' bookings are in 2030; the feed reaches a year ahead of today.
    monkeypatch.setattr(selectors, "FEED_AHEAD", timedelta(days=366 * 8))


def _fetch(token: str):
    return Client().get(f"/feeds/{token}.ics")


def _parse(response):
    text = response.content.decode()
    strict = IcsCalendarStream.calendar_from_ics(text)
    return icalendar.Calendar.from_ical(text), strict


def _events_by_uid(cal) -> dict:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_a_members_feed_has_their_bookings_and_the_clubs_events(club, aircraft, pilot, pilot2, admin, book):
    aircraft.home_base = "LFPN"
    aircraft.save()
    mine = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    book(aircraft, at(11, 9), at(11, 11), [(pilot2, PIC)])
    gone = book(aircraft, at(12, 9), at(12, 11), [(pilot, PIC)])
    booking_cancel(actor=admin, booking=gone, reason="weather")
    event = event_create(actor=admin, data=EventInput(kind="ground_school", title="Met theory", start=at(13, 18),
                                                      end=at(13, 20), location="Clubhouse"))
    token = feed_create(actor=pilot, membership=pilot)

    response = _fetch(token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    cal, strict = _parse(response)
    events = _events_by_uid(cal)
    host = "127.0.0.1"
    assert set(events) == {f"{mine.uid}@{host}", f"{event.uid}@{host}"}
    ics_booking = events[f"{mine.uid}@{host}"]
    assert "F-GABC" in str(ics_booking["SUMMARY"]) and "Pilot in command" in str(ics_booking["SUMMARY"])
    assert str(ics_booking["LOCATION"]) == "LFPN"
    assert ics_booking["DTSTART"].params["TZID"] == "Europe/Paris"
    assert ics_booking.decoded("DTSTART") == at(10, 9)
    assert ics_booking.decoded("DTSTAMP").tzinfo is not None and ics_booking.decoded("LAST-MODIFIED").utcoffset() == timedelta(0)
    assert "Pilot (pilot in command)" in str(ics_booking["DESCRIPTION"])
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert sorted(e.uid for e in strict.events) == sorted(events)
    assert {e.summary for e in strict.events} >= {"Met theory"}


def test_the_feed_is_right_across_daylight_saving_changes(club, aircraft, pilot, book):
    # 2030-03-31: Paris goes from 02:00 CET to 03:00 CEST. 01:30 CET → 03:30 CEST is one hour.
    spring = book(aircraft, datetime(2030, 3, 31, 0, 30, tzinfo=UTC), datetime(2030, 3, 31, 1, 30, tzinfo=UTC),
                  [(pilot, PIC)])
    # 2030-10-27: 03:00 CEST goes back to 02:00 CET. 01:30 CEST → 02:30 CET (the second one) is two hours.
    autumn = book(aircraft, datetime(2030, 10, 26, 23, 30, tzinfo=UTC), datetime(2030, 10, 27, 1, 30, tzinfo=UTC),
                  [(pilot, PIC)])
    response = _fetch(feed_create(actor=pilot, membership=pilot))
    cal, strict = _parse(response)
    # The VTIMEZONE carries that year's changes, whatever year it is now.
    (vtimezone,) = cal.walk("VTIMEZONE")
    onsets = vtimezone.to_ical().decode().replace("\r\n ", "")
    assert "20300331T" in onsets and "20301027T" in onsets

    expected = {f"{spring.uid}@127.0.0.1": (datetime(2030, 3, 31, 0, 30, tzinfo=UTC), datetime(2030, 3, 31, 1, 30, tzinfo=UTC)),
                f"{autumn.uid}@127.0.0.1": (datetime(2030, 10, 26, 23, 30, tzinfo=UTC), datetime(2030, 10, 27, 1, 30, tzinfo=UTC))}
    events = _events_by_uid(cal)
    for uid, event in events.items():
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert (event.decoded("DTSTART"), event.decoded("DTEND")) == expected[uid]
    # 02:30 happens twice that night; a TZID time would mean the first (RFC 5545 3.3.5), so
    # the second is written in UTC.
    assert events[f"{autumn.uid}@127.0.0.1"]["DTEND"].to_ical() == b"20301027T013000Z"
    assert events[f"{spring.uid}@127.0.0.1"]["DTEND"].to_ical() == b"20300331T033000"
    for event in strict.events:
        assert (event.dtstart.astimezone(UTC), event.dtend.astimezone(UTC)) == expected[event.uid]
    # The strict parser reads the times through the feed's own VTIMEZONE.
    assert [tz.tz_id for tz in strict.timezones] == ["Europe/Paris"]


def test_a_revoked_address_is_404(club, pilot):
    token = feed_create(actor=pilot, membership=pilot)
    assert feed_revoke(actor=pilot, membership=pilot) == 1
    assert _fetch(token).status_code == 404


def test_a_new_address_revokes_the_old(club, pilot):
    old = feed_create(actor=pilot, membership=pilot)
    new = feed_create(actor=pilot, membership=pilot)
    assert _fetch(old).status_code == 404
    assert _fetch(new).status_code == 200
    assert CalendarFeed.objects.filter(membership=pilot, revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize("token", ["nope", "x" * 43, "x" * 200])
def test_an_unknown_address_is_404(db, token):
    assert _fetch(token).status_code == 404


def test_an_inactive_members_feed_is_404(club, pilot):
    token = feed_create(actor=pilot, membership=pilot)
    pilot.is_active = False
    pilot.save()
    assert _fetch(token).status_code == 404


def test_another_clubs_data_never_appears(club, other_club, aircraft, other_aircraft, pilot, outsider, admin, book):
    book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)])
    theirs = book(other_aircraft, at(10, 9), at(10, 11), [(outsider, PIC)], actor=outsider)
    their_event = event_create(actor=outsider, data=EventInput(kind="meeting", title="Other meeting",
                                                               start=at(10, 18), end=at(10, 19)))
    text = _fetch(feed_create(actor=pilot, membership=pilot)).content.decode()
    assert str(theirs.uid) not in text and str(their_event.uid) not in text and "G-OTHR" not in text
    aircraft_text = _fetch(feed_create(actor=admin, aircraft=aircraft)).content.decode()
    assert str(theirs.uid) not in aircraft_text


def test_a_member_makes_only_their_own_feed(club, pilot, pilot2, outsider):
    with pytest.raises(NotFound):
        feed_create(actor=pilot, membership=pilot2)
    with pytest.raises(NotFound):
        feed_create(actor=outsider, membership=pilot)


def test_the_aircraft_feed_needs_see_all_bookings(club, aircraft, pilot, instructor, other_aircraft, dispatcher):
    for persona in (pilot, instructor):
        with pytest.raises(NotAllowed) as exc:
            feed_create(actor=persona, aircraft=aircraft)
        assert exc.value.code == "not_allowed"
    with pytest.raises(NotFound) as exc:
        feed_create(actor=dispatcher, aircraft=other_aircraft)
    assert exc.value.code == "unknown_aircraft"
    assert not CalendarFeed.objects.exists()


def test_an_aircraft_feed_has_its_bookings_with_crew_and_its_maintenance(club, aircraft, aircraft2, instructor,
                                                                         student, dispatcher, book):
    lesson = book(aircraft, at(10, 9), at(10, 11), [(instructor, INSTRUCTOR), (student, STUDENT)])
    book(aircraft2, at(11, 9), at(11, 11), [(instructor, PIC)])
    annual = MaintenanceItem.objects.create(organization=club, aircraft=aircraft, kind="annual", name="Annual inspection",
                                            interval_months=12, next_due_on=date(2030, 7, 1))
    MaintenanceItem.objects.create(organization=club, aircraft=aircraft, kind="hundred_hour", name="100-hour",
                                   interval_hours=100, next_due_hours=1100)
    token = feed_create(actor=dispatcher, aircraft=aircraft)
    cal, strict = _parse(_fetch(token))
    events = _events_by_uid(cal)
    assert set(events) == {f"{lesson.uid}@127.0.0.1", f"maintenance-item-{annual.pk}@127.0.0.1"}
    summary = str(events[f"{lesson.uid}@127.0.0.1"]["SUMMARY"])
    assert "Instructor" in summary and "Student" in summary
    due = events[f"maintenance-item-{annual.pk}@127.0.0.1"]
    assert due.decoded("DTSTART") == date(2030, 7, 1) and due.decoded("DTEND") == date(2030, 7, 2)
    assert {e.uid for e in strict.events} == set(events)


def test_an_aircraft_feed_stops_when_its_maker_loses_the_role(club, aircraft, dispatcher):
    token = feed_create(actor=dispatcher, aircraft=aircraft)
    assert _fetch(token).status_code == 200
    dispatcher.is_dispatcher = False
    dispatcher.save()
    assert _fetch(token).status_code == 404


def test_cancelled_events_leave_the_feed(club, admin, pilot):
    event = event_create(actor=admin, data=EventInput(kind="meeting", title="Assembly", start=at(13, 18), end=at(13, 20)))
    token = feed_create(actor=pilot, membership=pilot)
    assert "Assembly" in _fetch(token).content.decode()
    event_cancel(actor=admin, event=event)
    assert "Assembly" not in _fetch(token).content.decode()
