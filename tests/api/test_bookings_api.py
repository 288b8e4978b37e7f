"""/bookings: the calendar through the API, with the board's rules and messages."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dispatch.models import Booking
from tests.api.conftest import base
from tests.conftest import at


def _body(aircraft, start, end, crew, **extra):
    return {"data": {"type": "booking", "attributes": {
        "aircraft": aircraft.registration, "start": start.isoformat(), "end": end.isoformat(),
        "crew": [{"member": str(m.pk), "role": role} for m, role in crew], **extra}}}


def test_create_then_read_back(api, club, aircraft, pilot):
    response = api.post(f"{base(club)}/bookings", _body(aircraft, at(10, 9), at(10, 11), [(pilot, "pic")]))
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["type"] == "booking"
    assert data["attributes"]["crew"] == [{"member_id": str(pilot.pk), "name": pilot.user.display_name, "role": "pic"}]
    booking = Booking.objects.get(pk=data["id"])
    assert (booking.start, booking.end, booking.aircraft_id) == (at(10, 9), at(10, 11), aircraft.pk)
    again = api.get(f"{base(club)}/bookings/{booking.pk}").json()["data"]
    assert again == data


def test_a_conflicting_booking_is_409_naming_the_booking(api, club, aircraft, booking, pilot2):
    response = api.post(f"{base(club)}/bookings", _body(aircraft, at(10, 10), at(10, 12), [(pilot2, "pic")]))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "booking_conflict" and error["details"]["booking_id"] == booking.pk
    assert aircraft.registration in error["message"]
    assert Booking.objects.count() == 1


def test_a_rule_refusal_keeps_its_code(api, club, aircraft, mechanic):
    response = api.post(f"{base(club)}/bookings", _body(aircraft, at(10, 9), at(10, 11), [(mechanic, "pic")]))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "pic_not_pilot"
    assert response.json()["error"]["details"]["field"] == "pic"


def test_a_member_or_aircraft_of_another_club_is_not_found(api, club, aircraft, outsider, other_aircraft, pilot):
    response = api.post(f"{base(club)}/bookings", _body(aircraft, at(10, 9), at(10, 11), [(outsider, "pic")]))
    assert (response.status_code, response.json()["error"]["code"]) == (404, "unknown_member")
    response = api.post(f"{base(club)}/bookings", _body(other_aircraft, at(10, 9), at(10, 11), [(pilot, "pic")]))
    assert (response.status_code, response.json()["error"]["code"]) == (404, "unknown_aircraft")
    assert not Booking.objects.exists()


def test_patch_changes_only_what_is_given(api, club, booking):
    response = api.patch(f"{base(club)}/bookings/{booking.pk}", {"end": at(10, 12).isoformat(), "notes": "Long one"})
    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert (booking.start, booking.end, booking.notes) == (at(10, 9), at(10, 12), "Long one")


def test_cancel_and_the_change_feed_shows_it(api, club, booking, book, aircraft2, pilot2):
    other = book(aircraft2, at(10, 9), at(10, 11), [(pilot2, "pic")])
    mark = Booking.objects.get(pk=other.pk).updated_at + timedelta(microseconds=1)
    response = api.post(f"{base(club)}/bookings/{booking.pk}/cancel", {"reason": "Weather"})
    assert response.status_code == 200 and response.json()["data"]["attributes"]["status"] == "cancelled"
    feed = api.get(f"{base(club)}/bookings", {"changed_since": mark.isoformat()}).json()
    assert [b["id"] for b in feed["data"]] == [str(booking.pk)]
    again = api.post(f"{base(club)}/bookings/{booking.pk}/cancel")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "booking_state")


def test_filters_by_range_aircraft_and_member(api, club, book, aircraft, aircraft2, pilot, pilot2):
    a = book(aircraft, at(10, 9), at(10, 11), [(pilot, "pic")])
    b = book(aircraft2, at(11, 9), at(11, 11), [(pilot2, "pic")])
    ids = lambda **q: [x["id"] for x in api.get(f"{base(club)}/bookings", q).json()["data"]]  # noqa: E731
    assert ids() == [str(a.pk), str(b.pk)]
    assert ids(start=at(11, 0).isoformat()) == [str(b.pk)]
    assert ids(end=at(11, 0).isoformat()) == [str(a.pk)]
    assert ids(aircraft=aircraft2.registration.lower()) == [str(b.pk)]
    assert ids(member=str(pilot.pk)) == [str(a.pk)]


def test_the_list_pages_with_links(api, club, book, aircraft, pilot):
    for day in (10, 11, 12):
        book(aircraft, at(day, 9), at(day, 10), [(pilot, "pic")])
    first = api.get(f"{base(club)}/bookings", {"page_size": "2"}).json()
    assert first["meta"]["count"] == 3 and len(first["data"]) == 2 and first["links"]["prev"] is None
    second = api.get(first["links"]["next"]).json()
    assert len(second["data"]) == 1 and second["links"]["next"] is None and second["links"]["prev"]


def test_the_list_takes_the_same_queries_for_3_or_30_bookings(api, club, book, aircraft, pilot, pilot2):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(f"{base(club)}/bookings", {"page_size": "100"}).status_code == 200
        return len(ctx.captured_queries)

    for day in (10, 11, 12):
        book(aircraft, at(day, 9), at(day, 10), [(pilot, "pic"), (pilot2, "passenger")])
    queries()  # the key's first use of the minute also records its last use
    few = queries()
    for i in range(27):
        book(aircraft, at(13, 0) + timedelta(hours=i), at(13, 0) + timedelta(hours=i, minutes=50), [(pilot, "pic")])
    assert queries() == few


def test_a_read_key_sees_every_booking_of_the_club(api_read, club, booking):
    body = api_read.get(f"{base(club)}/bookings").json()
    assert [b["id"] for b in body["data"]] == [str(booking.pk)]
