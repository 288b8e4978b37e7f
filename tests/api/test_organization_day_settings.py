"""The club's day settings through the API: read in every organization, changed by PATCH
through the same service as the settings page, refused with the service's codes."""

import pytest

pytestmark = pytest.mark.django_db


def _url(club):
    return f"/api/v1/organizations/{club.slug}"


def _body(**attributes):
    return {"data": {"type": "organization", "attributes": attributes}}


def test_the_day_settings_are_read(api, club):
    attributes = api.get(_url(club)).json()["data"]["attributes"]
    assert {k: attributes[k] for k in ("day_starts", "day_ends", "booking_step_minutes", "default_booking_minutes",
                                       "pilots_self_dispatch", "show_instructor_rows", "altitude_unit")} == {
        "day_starts": "06:00", "day_ends": "22:00", "booking_step_minutes": 30, "default_booking_minutes": 60,
        "pilots_self_dispatch": False, "show_instructor_rows": False, "altitude_unit": "ft"}


def test_patch_changes_only_what_is_given(api, club):
    response = api.patch(_url(club), _body(day_starts="07:00", booking_step_minutes=15, altitude_unit="m"))
    assert response.status_code == 200, response.content
    club.refresh_from_db()
    assert (club.day_starts.hour, club.day_ends.hour, club.booking_step_minutes, club.altitude_unit) == (7, 22, 15, "m")
    assert club.max_passengers == 3


@pytest.mark.parametrize(("attributes", "status", "code"), [
    ({"day_starts": "23:00"}, 422, "day_hours_order"),
    ({"booking_step_minutes": 7}, 400, "validation_error"),
    ({"day_ends": "25:00"}, 400, "validation_error"),
])
def test_bad_settings_are_refused_and_change_nothing(api, club, attributes, status, code):
    response = api.patch(_url(club), _body(**attributes))
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    club.refresh_from_db()
    assert (club.day_starts.hour, club.day_ends.hour, club.booking_step_minutes) == (6, 22, 30)


def test_a_read_key_cannot_change_them(api_read, club):
    assert api_read.patch(_url(club), _body(pilots_self_dispatch=True)).status_code == 403
    club.refresh_from_db()
    assert club.pilots_self_dispatch is False
