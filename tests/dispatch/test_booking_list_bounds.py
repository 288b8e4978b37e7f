"""The bookings list reads a range of the (club, start) index: a booking that started before
the "from" day and lasts into it is still listed, up to the longest booking there can be."""

from datetime import datetime, timedelta

from django.urls import reverse

from dispatch.models import Booking, BookingCrew
from dispatch.services.rules import MAX_BOOKING
from tests.conftest import PARIS, client_for


def _straight(club, aircraft, member, start, end):
    booking = Booking.objects.create(organization=club, aircraft=aircraft, start=start, end=end)
    BookingCrew.objects.create(booking=booking, membership=member, role=BookingCrew.Role.PIC)
    return booking


def test_a_ferry_booked_for_weeks_is_listed_on_a_day_it_spans(club, dispatcher, aircraft, aircraft2, pilot):
    day = datetime(2030, 6, 10, tzinfo=PARIS)
    ferry = _straight(club, aircraft, pilot, day - MAX_BOOKING + timedelta(hours=2), day + timedelta(hours=2))
    over = _straight(club, aircraft2, pilot, day - timedelta(days=3), day - timedelta(hours=1))
    response = client_for(dispatcher).get(reverse("dispatch:booking_list", args=[club.slug]),
                                          {"from": "2030-06-10", "to": "2030-06-10"})
    shown = [b.pk for b in response.context["page"].object_list]
    assert shown == [ferry.pk] and over.pk not in shown


def test_the_default_list_keeps_a_long_booking_still_running(club, dispatcher, aircraft, pilot):
    from django.utils import timezone

    now = timezone.now()
    running = _straight(club, aircraft, pilot, now - timedelta(days=20), now + timedelta(days=5))
    response = client_for(dispatcher).get(reverse("dispatch:booking_list", args=[club.slug]))
    assert running.pk in [b.pk for b in response.context["page"].object_list]
