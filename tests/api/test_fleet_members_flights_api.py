"""/members, /aircraft and /flights through the API: the same services and rules as the
pages, per credential."""

from django.core import mail

from clubs.models import Membership
from dispatch.models import Aircraft
from flights.models import Flight, FlightEvent
from tests.api.conftest import base
from tests.conftest import at


def test_members_list_excludes_key_accounts_and_invite_sends_the_link(api, club, admin, pilot,
                                                                      django_capture_on_commit_callbacks):
    listed = api.get(f"{base(club)}/members").json()
    assert {m["id"] for m in listed["data"]} == {str(admin.pk), str(pilot.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{base(club)}/members", {"full_name": "Nora New", "email": "nora@example.com",
                                                      "roles": ["pilot"]})
    assert response.status_code == 201, response.content
    assert response.json()["data"]["attributes"]["roles"] == ["pilot"]
    assert mail.outbox[-1].to == ["nora@example.com"]
    again = api.post(f"{base(club)}/members", {"full_name": "Nora", "email": "NORA@example.com", "roles": ["pilot"]})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_member")


def test_roles_change_and_deactivation_with_the_rules(api, club, admin, pilot):
    response = api.patch(f"{base(club)}/members/{pilot.pk}", {"roles": ["pilot", "instructor"]})
    assert response.status_code == 200 and response.json()["data"]["attributes"]["roles"] == ["instructor", "pilot"]
    assert api.post(f"{base(club)}/members/{pilot.pk}/deactivate").json()["data"]["attributes"]["active"] is False
    assert api.post(f"{base(club)}/members/{pilot.pk}/reactivate").json()["data"]["attributes"]["active"] is True
    last = api.post(f"{base(club)}/members/{admin.pk}/deactivate")
    assert (last.status_code, last.json()["error"]["code"]) == (409, "last_admin")
    assert Membership.objects.get(pk=admin.pk).is_active


def test_a_member_of_another_club_is_not_found(api, club, outsider):
    response = api.get(f"{base(club)}/members/{outsider.pk}")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "unknown_member")


def test_aircraft_add_edit_ground_and_release(api, club, aircraft):
    created = api.post(f"{base(club)}/aircraft", {"registration": "f-hijk", "aircraft_type": "Robin DR400",
                                                  "kind": "airplane"})
    assert created.status_code == 201 and created.json()["data"]["attributes"]["registration"] == "F-HIJK"
    dup = api.post(f"{base(club)}/aircraft", {"registration": "FHIJK", "aircraft_type": "x"})
    assert (dup.status_code, dup.json()["error"]["code"]) == (409, "registration_taken")
    pk = created.json()["data"]["id"]
    assert api.patch(f"{base(club)}/aircraft/{pk}", {"home_base": "lfpn"}).json()["data"]["attributes"]["home_base"] == "LFPN"
    no_reason = api.post(f"{base(club)}/aircraft/{pk}/status", {"status": "grounded"})
    assert (no_reason.status_code, no_reason.json()["error"]["code"]) == (422, "reason_required")
    grounded = api.post(f"{base(club)}/aircraft/{pk}/status", {"status": "grounded", "reason": "Flat tyre"})
    assert grounded.json()["data"]["attributes"]["status"] == "grounded"
    assert Aircraft.objects.get(pk=pk).grounded_reason == "Flat tyre"
    assert api.post(f"{base(club)}/aircraft/{pk}/status", {"status": "available"}).json()["data"]["attributes"][
        "status"] == "available"


def test_flights_read_with_events_and_no_playback_for_a_key(api, club, aircraft, booking):
    flight = Flight.objects.create(organization=club, wiflight_id="77", aircraft=aircraft, tail=aircraft.registration,
                                   start=at(10, 9), length_seconds=5400, engine_seconds=5300, airtime_seconds=4800,
                                   raw_document="<flight/>", source="notification", booking=booking)
    FlightEvent.objects.create(flight=flight, kind="takeoff", time=at(10, 9, 10), airport="LFPN")
    body = api.get(f"{base(club)}/flights", {"booking": str(booking.pk)}).json()
    [item] = body["data"]
    attrs = item["attributes"]
    assert (item["type"], attrs["duration"], attrs["booking_id"]) == ("flight", 1.5, str(booking.pk))
    assert attrs["events"] == [{"kind": "takeoff", "time": "2030-06-10T07:10:00+00:00", "airport": "LFPN"}]
    assert attrs["playback_url"] is None
    assert api.get(f"{base(club)}/flights/{flight.pk}").json()["data"] == item
