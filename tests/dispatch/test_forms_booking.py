"""The booking form: which aircraft it offers and preselects, what it says of the crew, and
the prefill from the board's link (?aircraft=&start=&end=) with the club's default length."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.forms import BookingForm
from tests.conftest import PARIS, client_for


def _ground(aircraft, reason="flap actuator"):
    aircraft.status, aircraft.grounded_reason = "grounded", reason
    aircraft.save()


def _new(club, **params):
    return reverse("dispatch:booking_new", args=[club.slug]) + ("?" + "&".join(f"{k}={v}" for k, v in params.items())
                                                                if params else "")


def _selected_aircraft(html: str) -> list[str]:
    select = re.search(r'<select name="aircraft".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)"[^>]*selected', select)


def test_grounded_aircraft_is_marked_in_the_list_and_retired_is_not_offered(dispatcher, aircraft, aircraft2, club):
    _ground(aircraft)
    aircraft2.retired_at = timezone.now()
    aircraft2.save()
    form = BookingForm(membership=dispatcher)
    labels = [label for _, label in form.fields["aircraft"].choices]
    assert "F-GABC (Robin DR400) — grounded: flap actuator" in labels
    assert not any("F-GXYZ" in label for label in labels)


def test_a_grounded_aircraft_asked_for_is_not_preselected_and_the_page_says_why(dispatcher, aircraft, aircraft2, club):
    _ground(aircraft)
    response = client_for(dispatcher).get(_new(club, aircraft=aircraft.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert _selected_aircraft(html) == []
    assert response.context["form"].initial.get("aircraft") is None
    assert "F-GABC is grounded (flap actuator); choose another aircraft." in html


def test_an_aircraft_in_service_asked_for_is_preselected(dispatcher, aircraft, aircraft2, club):
    html = client_for(dispatcher).get(_new(club, aircraft=aircraft2.pk)).content.decode()
    assert _selected_aircraft(html) == [str(aircraft2.pk)]


def test_without_an_aircraft_asked_for_none_is_preselected(dispatcher, aircraft, aircraft2, club):
    # Before, the first aircraft of the list was selected whatever it was, grounded or not.
    _ground(aircraft2)
    html = client_for(dispatcher).get(_new(club)).content.decode()
    assert _selected_aircraft(html) == []
    assert "Choose an aircraft" in html


def test_changing_a_booking_keeps_its_retired_aircraft_on_the_list(dispatcher, booking, aircraft):
    aircraft.retired_at = timezone.now()
    aircraft.save()
    form = BookingForm(membership=dispatcher, booking=booking)
    assert aircraft in form.fields["aircraft"].queryset


def test_crew_fields_say_what_is_required(dispatcher, club):
    html = client_for(dispatcher).get(_new(club)).content.decode()
    assert "a pilot in command, or an instructor with a student" in html


def test_missing_crew_says_what_is_required(dispatcher, aircraft, club):
    data = {"aircraft": aircraft.pk, "start": "2030-06-10T09:00", "end": "2030-06-10T11:00", "purpose": "rental"}
    form = BookingForm(data, membership=dispatcher)
    assert not form.is_valid()
    assert form.has_error("__all__", code="crew_required")
    assert "a pilot in command, or an instructor with a student" in form.non_field_errors()[0]


def test_the_boards_link_sets_start_and_end(dispatcher, aircraft, club):
    response = client_for(dispatcher).get(_new(club, aircraft=aircraft.pk, start="2030-06-10T14:00",
                                                end="2030-06-10T16:30"))
    initial = response.context["form"].initial
    assert (initial["start"], initial["end"]) == (datetime(2030, 6, 10, 14, tzinfo=PARIS),
                                                  datetime(2030, 6, 10, 16, 30, tzinfo=PARIS))


@pytest.mark.parametrize("end", ["2030-06-10T13:00", "2030-06-10T14:00", "nonsense", "9999-01-01T00:00"])
def test_an_end_not_after_start_or_unreadable_gets_the_clubs_default_length(dispatcher, aircraft, club, end):
    club.default_booking_minutes = 90
    club.save()
    response = client_for(dispatcher).get(_new(club, start="2030-06-10T14:00", end=end))
    initial = response.context["form"].initial
    assert initial["end"] - initial["start"] == timedelta(minutes=90)


def test_the_default_length_is_the_clubs_not_an_hour(dispatcher, club):
    club.default_booking_minutes = 120
    club.save()
    initial = client_for(dispatcher).get(_new(club, start="2030-06-10T14:00")).context["form"].initial
    assert initial["end"] == datetime(2030, 6, 10, 16, tzinfo=PARIS)
    initial = client_for(dispatcher).get(_new(club)).context["form"].initial
    assert initial["end"] - initial["start"] == timedelta(minutes=120)
