"""Outsiders get 404 for every object of another club; missing roles get 404 too."""

import pytest
from django.urls import reverse

from tests.conftest import client_for


@pytest.fixture
def club_urls(club, booking, aircraft, pilot):
    s = club.slug
    return [
        reverse("club_overview", args=[s]), reverse("member_list", args=[s]), reverse("member_invite", args=[s]),
        reverse("member_edit", args=[s, pilot.pk]), reverse("audit_log", args=[s]),
        reverse("dispatch:board", args=[s]), reverse("dispatch:booking_list", args=[s]),
        reverse("dispatch:my_bookings", args=[s]), reverse("dispatch:booking_new", args=[s]),
        reverse("dispatch:booking", args=[s, booking.pk]), reverse("dispatch:booking_edit", args=[s, booking.pk]),
        reverse("dispatch:walkup", args=[s]), reverse("dispatch:fleet", args=[s]),
        reverse("dispatch:aircraft_new", args=[s]), reverse("dispatch:aircraft_edit", args=[s, aircraft.pk]),
    ]


@pytest.fixture
def club_post_urls(club, booking, aircraft, pilot):
    s = club.slug
    return [
        reverse("member_activation", args=[s, pilot.pk]), reverse("member_reinvite", args=[s, pilot.pk]),
        reverse("dispatch:booking_cancel", args=[s, booking.pk]), reverse("dispatch:check_out", args=[s, booking.pk]),
        reverse("dispatch:check_in", args=[s, booking.pk]), reverse("dispatch:aircraft_status", args=[s, aircraft.pk]),
    ]


def test_outsider_gets_404_everywhere(outsider, club_urls, club_post_urls, booking, pilot):
    client = client_for(outsider)
    for url in club_urls:
        assert client.get(url).status_code == 404, url
    for url in club_post_urls:
        assert client.post(url, {"action": "deactivate"}).status_code == 404, url
    booking.refresh_from_db()
    pilot.refresh_from_db()
    assert booking.status == "booked" and pilot.is_active


def test_outsider_cannot_reach_objects_through_own_club(outsider, other_club, booking, aircraft, pilot):
    client = client_for(outsider)
    s = other_club.slug
    assert client.get(reverse("dispatch:booking", args=[s, booking.pk])).status_code == 404
    assert client.get(reverse("dispatch:aircraft_edit", args=[s, aircraft.pk])).status_code == 404
    assert client.get(reverse("member_edit", args=[s, pilot.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, club_urls):
    for url in club_urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("name", ["club_overview", "member_invite", "audit_log", "dispatch:aircraft_new", "dispatch:walkup"])
def test_pilot_cannot_see_admin_pages(pilot, club, name):
    assert client_for(pilot).get(reverse(name, args=[club.slug])).status_code == 404


def test_pilot_sees_only_own_bookings(pilot, pilot2, book, aircraft2, booking, club):
    other = book(aircraft2, booking.start, booking.end, [(pilot2, "pic")])
    client = client_for(pilot)
    assert client.get(reverse("dispatch:booking", args=[club.slug, booking.pk])).status_code == 200
    assert client.get(reverse("dispatch:booking", args=[club.slug, other.pk])).status_code == 404


def test_instructor_sees_students_bookings(instructor, student, book, aircraft, club):
    lesson = book(aircraft, *_slot(), [(student, "pic")])
    assert client_for(instructor).get(reverse("dispatch:booking", args=[club.slug, lesson.pk])).status_code == 200


def test_deactivated_member_loses_access(pilot, club):
    client = client_for(pilot)
    pilot.is_active = False
    pilot.save()
    assert client.get(reverse("dispatch:board", args=[club.slug])).status_code == 404


def _slot():
    from tests.conftest import at

    return at(12, 9), at(12, 10)
