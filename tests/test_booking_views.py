from django.urls import reverse

from dispatch.models import Booking
from tests.conftest import client_for


def _form(aircraft, pic, start="2030-06-10T09:00", end="2030-06-10T11:00", **extra):
    return {"aircraft": aircraft.pk, "start": start, "end": end, "pic": pic.pk, "purpose": "rental", **extra}


def test_dispatcher_books_from_the_form_and_returns_to_the_board(dispatcher, aircraft, pilot, club):
    response = client_for(dispatcher).post(reverse("dispatch:booking_new", args=[club.slug]), _form(aircraft, pilot))
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/o/{club.slug}/board/?date=2030-06-10#booking-{booking.pk}"
    # Entered in Paris summer time (UTC+2), stored in UTC.
    assert booking.start.isoformat() == "2030-06-10T07:00:00+00:00"


def test_conflict_is_shown_on_the_form_and_changes_nothing(dispatcher, booking, aircraft, pilot2, club):
    response = client_for(dispatcher).post(reverse("dispatch:booking_new", args=[club.slug]),
                                           _form(aircraft, pilot2, start="2030-06-10T10:00", end="2030-06-10T12:00"))
    assert response.status_code == 400
    assert "F-GABC is already booked Mon 10 Jun 09:00–11:00." in response.content.decode()
    assert Booking.objects.count() == 1


def test_nonexistent_local_time_is_refused_clearly(dispatcher, aircraft, pilot, club):
    # 02:30 does not exist in Paris on 2030-03-31 (clocks jump from 02:00 to 03:00).
    response = client_for(dispatcher).post(reverse("dispatch:booking_new", args=[club.slug]),
                                           _form(aircraft, pilot, start="2030-03-31T02:30", end="2030-03-31T04:00"))
    assert response.status_code == 400
    assert "may not exist" in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_across_dst_change_keeps_real_duration(dispatcher, aircraft, pilot, club):
    client_for(dispatcher).post(reverse("dispatch:booking_new", args=[club.slug]),
                                _form(aircraft, pilot, start="2030-03-31T01:00", end="2030-03-31T04:00"))
    booking = Booking.objects.get()
    assert booking.end - booking.start == __import__("datetime").timedelta(hours=2)


def test_missing_crew_is_a_form_error(dispatcher, aircraft, club):
    data = {"aircraft": aircraft.pk, "start": "2030-06-10T09:00", "end": "2030-06-10T11:00", "purpose": "rental"}
    response = client_for(dispatcher).post(reverse("dispatch:booking_new", args=[club.slug]), data)
    assert response.status_code == 400 and "a pilot in command, or an instructor with a student" in response.content.decode()


def test_pilot_form_defaults_to_themselves_and_refuses_others(pilot, pilot2, aircraft, club):
    client = client_for(pilot)
    html = client.get(reverse("dispatch:booking_new", args=[club.slug])).content.decode()
    assert f'<option value="{pilot.pk}" selected>' in html
    response = client.post(reverse("dispatch:booking_new", args=[club.slug]), _form(aircraft, pilot2))
    assert response.status_code == 400 and "only book flights you are on" in response.content.decode()


def test_edit_and_cancel(dispatcher, booking, aircraft, pilot, club):
    client = client_for(dispatcher)
    response = client.post(reverse("dispatch:booking_edit", args=[club.slug, booking.pk]),
                           _form(aircraft, pilot, start="2030-06-10T12:00", end="2030-06-10T13:00"))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start.isoformat() == "2030-06-10T10:00:00+00:00"
    client.post(reverse("dispatch:booking_cancel", args=[club.slug, booking.pk]), {"reason": "weather"})
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_cancel_needs_post(dispatcher, booking, club):
    # A GET only asks for confirmation (tests/dispatch/test_forms_cancel.py).
    assert client_for(dispatcher).get(reverse("dispatch:booking_cancel", args=[club.slug, booking.pk])).status_code == 200
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_my_bookings_lists_upcoming_for_the_pilot(pilot, book, aircraft, club):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=1)
    book(aircraft, start, start + timedelta(hours=1), [(pilot, "pic")])
    html = client_for(pilot).get(reverse("dispatch:my_bookings", args=[club.slug])).content.decode()
    assert "F-GABC" in html
