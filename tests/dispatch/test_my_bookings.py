"""A pilot's own bookings: upcoming ones, and a paginated Past section, newest first."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from dispatch.models import Booking, BookingCrew
from dispatch.services.bookings import booking_cancel
from tests.conftest import client_for
from tests.dispatch.test_booking_list import bulk_bookings


def _url(club):
    return reverse("dispatch:my_bookings", args=[club.slug])


def _past(response) -> list[int]:
    return [b.pk for b in response.context["past"].object_list]


def test_past_bookings_are_listed_newest_first_with_completed_and_cancelled_as_such(
        club, pilot, dispatcher, book, aircraft):
    now = timezone.now()
    flown, older = bulk_bookings(club, aircraft, pilot, 2, first=now - timedelta(days=3), step=timedelta(days=-1))
    Booking.objects.filter(pk=flown.pk).update(status=Booking.Status.COMPLETED)
    upcoming = book(aircraft, now + timedelta(days=2), now + timedelta(days=2, hours=1), [(pilot, BookingCrew.Role.PIC)])
    called_off = book(aircraft, now + timedelta(days=5), now + timedelta(days=5, hours=1),
                      [(pilot, BookingCrew.Role.PIC)])
    booking_cancel(actor=pilot, booking=called_off, reason="Gusts over 30 kt")
    r = client_for(pilot).get(_url(club))
    page = r.content.decode()
    assert [b.pk for b in r.context["upcoming"]] == [upcoming.pk]
    assert _past(r) == [called_off.pk, flown.pk, older.pk]
    assert '<h2 id="past-heading">Past</h2>' in page
    assert "Completed" in page and "Cancelled" in page and "Reason: Gusts over 30 kt" in page
    assert "Never checked out" in page  # `older` is over but was never flown as booked


def test_the_past_section_pages_and_holds_only_the_members_own(club, pilot, pilot2, aircraft, aircraft2):
    now = timezone.now()
    mine = bulk_bookings(club, aircraft, pilot, 45, first=now - timedelta(days=1), step=timedelta(hours=-2))
    bulk_bookings(club, aircraft2, pilot2, 3, first=now - timedelta(days=1), step=timedelta(hours=-2))
    client = client_for(pilot)
    first = client.get(_url(club))
    assert first.context["past"].paginator.num_pages == 3 and _past(first) == [b.pk for b in mine[:20]]
    assert "?past=2" in first.content.decode()
    third = client.get(_url(club), {"past": 3})
    assert _past(third) == [b.pk for b in mine[40:]]
    assert client.get(_url(club), {"past": "x²"}).status_code == 200  # a hand-edited page number
