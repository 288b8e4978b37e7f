"""The booking list reads only the crew columns it shows (dispatch.selectors.crew_names_prefetch):
each of its items is exactly what the booking's own endpoint (the whole rows) answers."""

from datetime import timedelta

from dispatch.models import BookingCrew
from dispatch.services.bookings import booking_cancel
from tests.api.conftest import base
from tests.conftest import at, make_member


def test_each_listed_booking_is_the_booking_endpoints_answer(api, club, book, dispatcher, aircraft, aircraft2, pilot,
                                                             pilot2, instructor, student):
    pax = make_member(club, "o'brien")
    pax.user.full_name, pax.user.first_name, pax.user.last_name = "", "Seán", "O'Brien <Jr>"
    pax.user.save()
    made = [
        book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC), (pax, BookingCrew.Role.PASSENGER)],
             notes="Local <flight> & back"),
        book(aircraft2, at(10, 9), at(10, 10), [(instructor, BookingCrew.Role.INSTRUCTOR),
                                                (student, BookingCrew.Role.STUDENT)], purpose="training"),
        book(aircraft, at(11, 9), at(11, 9) + timedelta(hours=26), [(pilot2, BookingCrew.Role.PIC)]),
    ]
    booking_cancel(actor=dispatcher, booking=made[2], reason="Weather")
    listed = api.get(f"{base(club)}/bookings", {"page_size": "100"}).json()["data"]
    assert [item["id"] for item in listed] == [str(b.pk) for b in made]
    for item in listed:
        assert item == api.get(f"{base(club)}/bookings/{item['id']}").json()["data"]
    names = [slot["name"] for item in listed for slot in item["attributes"]["crew"]]
    assert "Seán O'Brien <Jr>" in names and listed[2]["attributes"]["status"] == "cancelled"
