"""Check-out and check-in through the API (dispatch.services.dispatching): scopes and roles,
bad bodies refused with nothing changed, the squawk written at check-in filed on the
aircraft, and a grounding one grounding it for the API's bookings too."""

import pytest

from dispatch.models import Aircraft, Booking, Dispatch
from maintenance.models import Squawk
from tests.api.conftest import base
from tests.conftest import at

OUT = {"hobbs_out": "1000.0", "tach_out": "800.0"}
IN = {"hobbs_in": "1001.5", "tach_in": "801.2"}


def _error(response):
    return response.status_code, response.json()["error"]["code"]


def _path(club, booking, action):
    return f"{base(club)}/bookings/{booking.pk}/{action}"


def test_check_out_then_in_moves_the_booking_and_the_meters(api, club, aircraft, booking):
    response = api.post(_path(club, booking, "check-out"), {"data": {"type": "booking", "attributes": OUT}})
    assert response.status_code == 200, response.content
    assert response.json()["data"]["attributes"]["status"] == "dispatched"
    assert response.json()["meta"] == {"warnings": []}
    response = api.post(_path(club, booking, "check-in"), {**IN, "fuel_cost": "42.50", "ground_hours": "0.5"})
    assert response.status_code == 200, response.content
    assert response.json()["data"]["attributes"]["status"] == "completed"
    aircraft.refresh_from_db()
    assert (str(aircraft.hobbs), str(aircraft.tach)) == ("1001.5", "801.2")
    record = Dispatch.objects.get(booking=booking)
    assert (str(record.fuel_cost), str(record.ground_hours)) == ("42.500", "0.50")


def test_a_grounding_squawk_at_check_in_grounds_the_aircraft_for_the_api(api, club, aircraft, booking, pilot):
    assert api.post(_path(club, booking, "check-out"), OUT).status_code == 200
    response = api.post(_path(club, booking, "check-in"), {**IN, "squawks": "Left brake spongy",
                                                           "squawk_severity": "grounding"})
    assert response.status_code == 200, response.content
    squawk = Squawk.objects.get()
    assert (squawk.description, squawk.severity, squawk.booking_id) == ("Left brake spongy", "grounding", booking.pk)
    state = api.get(f"{base(club)}/aircraft/{aircraft.pk}").json()["data"]["attributes"]
    assert state["status"] == "grounded" and state["grounded_by_maintenance"] is True
    assert state["maintenance"]["grounding_squawks"] == 1
    response = api.post(f"{base(club)}/bookings", {"aircraft": aircraft.registration, "start": at(11, 9).isoformat(),
                                                   "end": at(11, 10).isoformat(),
                                                   "crew": [{"member": str(pilot.pk), "role": "pic"}]})
    assert _error(response) == (409, "aircraft_grounded")
    assert Booking.objects.count() == 1
    # A person's release is refused while the squawk holds it.
    response = api.post(f"{base(club)}/aircraft/{aircraft.pk}/status", {"status": "available"})
    assert _error(response) == (409, "maintenance_holds_aircraft")


def test_a_read_key_may_not_check_out(api_read, club, booking):
    assert _error(api_read.post(_path(club, booking, "check-out"), OUT)) == (403, "insufficient_scope")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_a_pilot_checks_out_only_where_the_club_lets_pilots_self_dispatch(token_for, club, booking, pilot):
    as_pilot = token_for(pilot)
    assert _error(as_pilot.post(_path(club, booking, "check-out"), OUT)) == (403, "not_allowed")
    club.pilots_self_dispatch = True
    club.save()
    assert as_pilot.post(_path(club, booking, "check-out"), OUT).status_code == 200


def test_a_pilots_read_token_may_not_check_out(token_for, club, booking, pilot):
    club.pilots_self_dispatch = True
    club.save()
    assert _error(token_for(pilot, "read").post(_path(club, booking, "check-out"), OUT)) == (403, "insufficient_scope")


@pytest.mark.parametrize("body, field", [
    ({"hobbs_out": "lots", "tach_out": "800.0"}, "hobbs_out"),
    ({"hobbs_out": "1000.0"}, "tach_out"),
    ({"hobbs_out": "-1", "tach_out": "800.0"}, "hobbs_out"),
    ({**OUT, "hobbs_in": "1001"}, "hobbs_in"),
    ({**OUT, "override_reason": "two\nlines"}, "override_reason"),
    ([OUT], "data"),
])
def test_a_bad_check_out_body_is_400_naming_the_field_and_changes_nothing(api, club, booking, body, field):
    response = api.post(_path(club, booking, "check-out"), body)
    assert _error(response) == (400, "validation_error"), response.content
    assert response.json()["error"]["details"]["field"] == field
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED and not Dispatch.objects.exists()


@pytest.mark.parametrize("body, status, code", [
    ({**IN, "squawk_severity": "terrible"}, 400, "validation_error"),
    ({**IN, "ground_hours": "30"}, 400, "validation_error"),
    ({"hobbs_in": "999.0", "tach_in": "801.0"}, 422, "meter_backwards"),
])
def test_a_bad_check_in_is_refused_and_changes_nothing(api, club, booking, body, status, code):
    assert api.post(_path(club, booking, "check-out"), OUT).status_code == 200
    assert _error(api.post(_path(club, booking, "check-in"), body)) == (status, code)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DISPATCHED and Dispatch.objects.get().hobbs_in is None


def test_checking_in_a_booking_not_out_is_a_conflict(api, club, booking):
    assert _error(api.post(_path(club, booking, "check-in"), IN)) == (409, "booking_state")


def test_a_meter_below_the_last_check_in_needs_a_correction_reason(api, club, aircraft, booking):
    low = {"hobbs_out": "990.0", "tach_out": "800.0"}
    assert _error(api.post(_path(club, booking, "check-out"), low)) == (422, "meter_backwards")
    response = api.post(_path(club, booking, "check-out"), {**low, "correction_reason": "Meter replaced"})
    assert response.status_code == 200, response.content
    assert Dispatch.objects.get().correction_reason == "Meter replaced"


def test_another_clubs_key_cannot_check_out_our_booking(other_api, club, booking):
    assert other_api.post(_path(club, booking, "check-out"), OUT).status_code == 404
    assert not Aircraft.objects.filter(status="grounded").exists() and not Dispatch.objects.exists()
