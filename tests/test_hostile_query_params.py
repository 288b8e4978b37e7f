"""Hand-edited URLs get a page, never a 500."""

import pytest
from django.urls import reverse

from tests.conftest import client_for


@pytest.mark.parametrize("query", [
    {"date": "9999-12-31"}, {"date": "0001-01-01", "view": "week"}, {"date": "2030-02-30"}, {"date": "x" * 500},
])
def test_board_survives_odd_dates(dispatcher, club, query):
    assert client_for(dispatcher).get(reverse("dispatch:board", args=[club.slug]), query).status_code == 200


@pytest.mark.parametrize("query", [{"to": "9999-12-31"}, {"from": "0001-01-01"}, {"aircraft": "²"},
                                   {"member": "1" * 40}, {"page": "-1"}])
def test_flight_list_survives_odd_filters(dispatcher, club, query):
    assert client_for(dispatcher).get(reverse("flights:flight_list", args=[club.slug]), query).status_code == 200


@pytest.mark.parametrize("aircraft", ["²", "1" * 40, "-3"])
def test_booking_form_survives_odd_aircraft(dispatcher, club, aircraft):
    assert client_for(dispatcher).get(reverse("dispatch:booking_new", args=[club.slug]),
                                      {"aircraft": aircraft}).status_code == 200


def test_check_in_of_a_booking_never_checked_out_is_refused_clearly(dispatcher, club, booking):
    r = client_for(dispatcher).post(reverse("dispatch:check_in", args=[club.slug, booking.pk]),
                                    {"hobbs_in": "1001", "tach_in": "801"})
    assert r.status_code == 400 and "Only a checked-out booking can be checked in" in r.content.decode()


@pytest.mark.parametrize("query", [{"aircraft": "²"}, {"aircraft": "1" * 40}, {"aircraft": "-3"}])
def test_walkup_form_survives_odd_aircraft(dispatcher, club, query):
    assert client_for(dispatcher).get(reverse("dispatch:walkup", args=[club.slug]), query).status_code == 200


@pytest.mark.parametrize("start", ["9999-12-31T23:00", "0001-01-01T00:00", "2030-02-30T10:00", "é" * 50])
def test_booking_form_survives_odd_start(dispatcher, club, start):
    assert client_for(dispatcher).get(reverse("dispatch:booking_new", args=[club.slug]),
                                      {"start": start}).status_code == 200
