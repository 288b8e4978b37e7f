"""How a club runs its day: operating hours, booking step, default length, self-dispatch,
instructor rows and units, set on the club settings page through organization_update."""

from datetime import time

import pytest
from django.urls import reverse

from clubs.services import organization_update
from core.errors import Invalid, NotAllowed
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _form(club, **changes):
    data = {"name": club.name, "timezone": club.timezone, "wiflight_user_domain": club.wiflight_user_domain,
            "max_passengers": club.max_passengers, "day_starts": "06:00", "day_ends": "22:00",
            "booking_step_minutes": "30", "default_booking_minutes": "60", "altitude_unit": "ft"}
    data.update(changes)
    return data


def test_defaults_frame_a_daylight_day(club):
    assert (club.day_starts, club.day_ends, club.booking_step_minutes, club.default_booking_minutes) == (
        time(6), time(22), 30, 60)
    assert (club.pilots_self_dispatch, club.show_instructor_rows, club.altitude_unit) == (False, False, "ft")


def test_settings_page_saves_the_day_settings_and_audits_them(club, admin):
    response = client_for(admin).post(reverse("club_settings", args=[club.slug]), _form(
        club, day_starts="07:30", day_ends="20:00", booking_step_minutes="15", default_booking_minutes="90",
        pilots_self_dispatch="on", show_instructor_rows="on", altitude_unit="m"))
    assert response.status_code == 302
    club.refresh_from_db()
    assert (club.day_starts, club.day_ends, club.booking_step_minutes, club.default_booking_minutes) == (
        time(7, 30), time(20), 15, 90)
    assert (club.pilots_self_dispatch, club.show_instructor_rows, club.altitude_unit) == (True, True, "m")
    entry = club.audit_events.get(action="club.updated")
    assert entry.details["day_starts"] == {"from": "06:00:00", "to": "07:30:00"}


def test_a_day_ending_before_it_starts_is_refused_on_the_field_and_changes_nothing(club, admin):
    response = client_for(admin).post(reverse("club_settings", args=[club.slug]),
                                      _form(club, day_starts="22:00", day_ends="06:00"))
    assert response.status_code == 400
    assert "The day must end after it starts" in response.content.decode()
    club.refresh_from_db()
    assert (club.day_starts, club.day_ends) == (time(6), time(22))


@pytest.mark.parametrize(("setting", "value", "code"), [
    ("booking_step_minutes", 7, "booking_step_unknown"),
    ("default_booking_minutes", 2, "default_length_out_of_range"),
    ("default_booking_minutes", 1441, "default_length_out_of_range"),
    ("altitude_unit", "yd", "altitude_unit_unknown"),
    ("day_ends", time(5), "day_hours_order"),
])
def test_the_service_refuses_each_bad_setting_with_its_code(club, admin, setting, value, code):
    with pytest.raises(Invalid) as exc:
        organization_update(actor=admin, name=club.name, timezone_name=club.timezone,
                            wiflight_user_domain="", **{setting: value})
    assert exc.value.code == code
    club.refresh_from_db()
    assert (club.booking_step_minutes, club.default_booking_minutes, club.altitude_unit) == (30, 60, "ft")


def test_only_admins_change_the_day_settings(club, dispatcher):
    with pytest.raises(NotAllowed):
        organization_update(actor=dispatcher, name=club.name, timezone_name=club.timezone,
                            wiflight_user_domain="", pilots_self_dispatch=True)


def test_time_zones_are_grouped_with_the_clubs_own_first(club, admin):
    club.timezone = "America/Toronto"
    club.save()
    page = client_for(admin).get(reverse("club_settings", args=[club.slug])).content.decode()
    likely = page.index('<optgroup label="Most likely">')
    assert likely < page.index('value="America/Toronto"') < page.index('<optgroup label="Europe">')
    assert 'value="US/Eastern"' not in page and 'value="EST5EDT"' not in page
    assert ">Argentina/Buenos Aires<" in page
