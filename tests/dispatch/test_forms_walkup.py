"""Walk-up dispatch asks for the aircraft first (a plain GET form), then prefills Hobbs and
tach from its last check-in and the expected return from the club's default length."""

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import Booking
from dispatch.views.dispatching import expected_back
from tests.conftest import PARIS, client_for


def _walkup(club, **params):
    url = reverse("dispatch:walkup", args=[club.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_step_one_asks_only_for_an_aircraft_that_can_leave(dispatcher, aircraft, aircraft2, club):
    aircraft2.status, aircraft2.grounded_reason = "grounded", "oil leak"
    aircraft2.save()
    response = client_for(dispatcher).get(_walkup(club))
    assert response.status_code == 200
    chooser = response.context["chooser"]
    assert list(chooser.fields) == ["aircraft"]
    assert list(chooser.fields["aircraft"].queryset) == [aircraft]
    assert 'method="get"' in response.content.decode()


def test_step_two_prefills_meters_and_expected_back(dispatcher, aircraft, club):
    club.default_booking_minutes, club.booking_step_minutes = 90, 30
    club.save()
    response = client_for(dispatcher).get(_walkup(club, aircraft=aircraft.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["aircraft"] == aircraft.pk
    assert (form.initial["hobbs_out"], form.initial["tach_out"]) == (Decimal("1000.0"), Decimal("800.0"))
    end = form.initial["end"]
    now = timezone.now()
    assert now + timedelta(minutes=90) <= end + timedelta(minutes=1) and end <= now + timedelta(minutes=120)
    assert end.minute % 30 == 0
    html = response.content.decode()
    assert 'value="1000.0"' in html and 'value="800.0"' in html


@pytest.mark.parametrize("now,minutes,step,back", [
    (datetime(2030, 6, 10, 9, 7, tzinfo=PARIS), 60, 30, datetime(2030, 6, 10, 10, 30, tzinfo=PARIS)),
    (datetime(2030, 6, 10, 9, 0, tzinfo=PARIS), 60, 30, datetime(2030, 6, 10, 10, 0, tzinfo=PARIS)),
    (datetime(2030, 6, 10, 9, 7, 30, tzinfo=PARIS), 45, 15, datetime(2030, 6, 10, 10, 0, tzinfo=PARIS)),
    (datetime(2030, 6, 10, 23, 50, tzinfo=PARIS), 60, 60, datetime(2030, 6, 11, 1, 0, tzinfo=PARIS)),
])
def test_expected_back_is_the_default_length_rounded_up_to_the_step(club, now, minutes, step, back):
    club.default_booking_minutes, club.booking_step_minutes = minutes, step
    assert expected_back(club, now) == back


@pytest.mark.parametrize("asked", ["grounded", "retired", "other_club", "garbage"])
def test_an_aircraft_that_cannot_leave_is_refused_at_step_one(dispatcher, aircraft, other_aircraft, club, asked):
    if asked == "grounded":
        aircraft.status, aircraft.grounded_reason = "grounded", "oil leak"
        aircraft.save()
    if asked == "retired":
        aircraft.retired_at = timezone.now()
        aircraft.save()
    pk = {"other_club": other_aircraft.pk, "garbage": "x"}.get(asked, aircraft.pk)
    response = client_for(dispatcher).get(_walkup(club, aircraft=pk))
    assert response.status_code == 200
    assert response.context["chooser"].has_error("aircraft")
    assert 'name="hobbs_out"' not in response.content.decode()


def test_step_two_dispatches(dispatcher, pilot, aircraft, club):
    end = (timezone.localtime(timezone.now(), PARIS) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(dispatcher).post(_walkup(club), {
        "aircraft": aircraft.pk, "end": end, "pic": pilot.pk, "purpose": "rental",
        "hobbs_out": "1000.0", "tach_out": "800.0"})
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.DISPATCHED and booking.dispatch.hobbs_out == Decimal("1000.0")


def test_the_aircraft_options_carry_their_meters_for_the_script(dispatcher, aircraft, club):
    html = client_for(dispatcher).get(_walkup(club, aircraft=aircraft.pk)).content.decode()
    assert 'data-hobbs="1000.0"' in html and 'data-tach="800.0"' in html
    assert "js/forms.js" in html


def test_expected_back_keeps_its_real_length_across_the_spring_clock_change(club):
    # 01:30 Paris on 2030-03-31, clocks jump 02:00 -> 03:00: an hour later is 03:30 local.
    club.default_booking_minutes, club.booking_step_minutes = 60, 30
    back = expected_back(club, datetime(2030, 3, 31, 1, 30, tzinfo=PARIS))
    utc = dt_timezone.utc
    assert back.astimezone(utc) - datetime(2030, 3, 31, 1, 30, tzinfo=PARIS).astimezone(utc) == timedelta(hours=1)
    assert (back.hour, back.minute) == (3, 30)
