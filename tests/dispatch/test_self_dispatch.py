"""Where the club allows it (pilots_self_dispatch), the member in command of a booking checks it
out and in themselves: its pilot in command, or the student on a solo. Nobody else gains."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dispatch import policy
from dispatch.models import Booking
from dispatch.services.dispatching import booking_check_in, booking_check_out
from tests.conftest import at, client_for

OUT = {"hobbs_out": Decimal("1000.0"), "tach_out": Decimal("800.0")}
IN = {"hobbs_in": Decimal("1001.0"), "tach_in": Decimal("800.8")}


@pytest.fixture
def self_dispatch(club):
    club.pilots_self_dispatch = True
    club.save()
    return club


def _reloaded(booking):
    return Booking.objects.prefetch_related("crew__membership").get(pk=booking.pk)


def test_the_pilot_in_command_checks_out_and_in_when_the_club_allows(self_dispatch, pilot, booking):
    assert policy.may_dispatch(pilot, _reloaded(booking))
    booking_check_out(actor=pilot, booking=booking, **OUT)
    booking_check_in(actor=pilot, booking=booking, **IN)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED


def test_without_the_club_setting_the_pilot_is_refused(club, pilot, booking):
    assert not policy.may_dispatch(pilot, _reloaded(booking))
    with pytest.raises(ValidationError) as exc:
        booking_check_out(actor=pilot, booking=booking, **OUT)
    assert exc.value.code == "not_allowed"


def test_a_passenger_or_another_pilot_is_refused(self_dispatch, pilot, pilot2, book, aircraft):
    flight = book(aircraft, at(11, 9), at(11, 10), [(pilot, "pic"), (pilot2, "passenger")])
    assert not policy.may_dispatch(pilot2, _reloaded(flight))
    with pytest.raises(ValidationError) as exc:
        booking_check_out(actor=pilot2, booking=flight, **OUT)
    assert exc.value.code == "not_allowed"


def test_a_student_on_a_solo_may_but_not_on_a_lesson(self_dispatch, student, instructor, book, aircraft, aircraft2):
    solo = book(aircraft, at(11, 9), at(11, 10), [(student, "student")])
    lesson = book(aircraft2, at(12, 9), at(12, 10), [(instructor, "instructor"), (student, "student")])
    assert policy.may_dispatch(student, _reloaded(solo))
    assert not policy.may_dispatch(student, _reloaded(lesson))
    # The instructor of a lesson is not its pilot in command here, so not them either.
    assert not policy.may_dispatch(instructor, _reloaded(lesson))


def test_self_dispatch_is_per_booking_not_a_role(self_dispatch, pilot):
    assert not policy.may_dispatch(pilot)


def test_walkup_stays_with_dispatchers(self_dispatch, pilot, club):
    assert client_for(pilot).get(reverse("dispatch:walkup", args=[club.slug])).status_code == 404


def test_the_booking_page_shows_the_pilot_the_forms_and_the_views_work(self_dispatch, pilot, booking, club):
    client = client_for(pilot)
    page = reverse("dispatch:booking", args=[club.slug, booking.pk])
    assert reverse("dispatch:check_out", args=[club.slug, booking.pk]) in client.get(page).content.decode()
    r = client.post(reverse("dispatch:check_out", args=[club.slug, booking.pk]), {"hobbs_out": "1000.0", "tach_out": "800.0"})
    assert r.status_code == 302
    assert reverse("dispatch:check_in", args=[club.slug, booking.pk]) in client.get(page).content.decode()
    r = client.post(reverse("dispatch:check_in", args=[club.slug, booking.pk]), {"hobbs_in": "1001.0", "tach_in": "800.8"})
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED


def test_without_the_setting_the_pilot_sees_no_forms_and_posts_get_404(club, pilot, booking):
    client = client_for(pilot)
    html = client.get(reverse("dispatch:booking", args=[club.slug, booking.pk])).content.decode()
    assert reverse("dispatch:check_out", args=[club.slug, booking.pk]) not in html
    r = client.post(reverse("dispatch:check_out", args=[club.slug, booking.pk]), {"hobbs_out": "1000.0", "tach_out": "800.0"})
    assert r.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_another_clubs_setting_gives_nothing_here(self_dispatch, outsider, booking):
    # The outsider is a dispatcher and pilot in their own club only.
    with pytest.raises(ValidationError) as exc:
        booking_check_out(actor=outsider, booking=booking, **OUT)
    assert exc.value.code == "not_found"
