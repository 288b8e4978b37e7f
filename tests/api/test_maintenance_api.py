"""Maintenance through the API: an aircraft's items with their standing, the `maintenance`
attribute of the fleet (read in a fixed number of queries), squawks reported, listed and
cleared (maintenance.services), each with its roles and another club's objects not found."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dispatch.models import Aircraft
from maintenance.models import Squawk
from maintenance.services.items import ItemInput, item_create
from maintenance.services.squawks import squawk_report
from tests.api.conftest import base
from tests.conftest import make_member


def _error(response):
    return response.status_code, response.json()["error"]["code"]


@pytest.fixture
def hundred_hour(admin, aircraft):
    # The aircraft is at 800.0 h (tach): due at 805, due soon from 795.
    return item_create(actor=admin, aircraft=aircraft, data=ItemInput(
        kind="hundred_hour", name="100-hour inspection", interval_hours=Decimal("100"),
        tolerance_hours=Decimal("10"), next_due_hours=Decimal("805.0")))


def test_an_aircraft_lists_its_items_with_their_standing(api, club, aircraft, hundred_hour):
    response = api.get(f"{base(club)}/aircraft/{aircraft.pk}/maintenance-items")
    assert response.status_code == 200, response.content
    [item] = response.json()["data"]
    assert (item["id"], item["type"]) == (str(hundred_hour.pk), "maintenance_item")
    a = item["attributes"]
    assert (a["kind"], a["next_due_hours"], a["tolerance_hours"]) == ("hundred_hour", "805.0", "10.0")
    assert a["standing"] == {"state": "due_soon", "text": "100-hour inspection: due in 5.0 h", "hours_left": "5.0",
                             "days_left": None}


def test_the_fleet_says_each_aircrafts_maintenance(api, club, aircraft, aircraft2, hundred_hour):
    data = {a["attributes"]["registration"]: a["attributes"] for a in api.get(f"{base(club)}/aircraft").json()["data"]}
    m = data[aircraft.registration]["maintenance"]
    assert (m["hours"], m["state"], m["open_squawks"]) == ("800.0", "due_soon", 0)
    assert [d["item_id"] for d in m["due"]] == [str(hundred_hour.pk)]
    assert data[aircraft2.registration]["maintenance"]["state"] == "ok"
    assert data[aircraft2.registration]["grounded_by_maintenance"] is False


def test_the_fleets_maintenance_takes_the_same_queries_for_few_or_many(api, club, admin, aircraft):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(f"{base(club)}/aircraft").status_code == 200
        return len(ctx.captured_queries)

    def grow(n, offset):
        for i in range(n):
            a = Aircraft.objects.create(organization=club, registration=f"F-Q{offset + i:03d}", aircraft_type="DR400")
            item_create(actor=admin, aircraft=a, data=ItemInput(kind="annual", name="Annual", interval_months=12,
                                                                next_due_on=a.created_at.date()))
            squawk_report(actor=admin, aircraft=a, description="Door rattles")

    grow(2, 0)
    queries()
    few = queries()
    grow(8, 100)
    assert queries() == few


def test_a_member_reports_a_squawk_and_the_club_lists_it(token_for, api, club, aircraft, pilot):
    response = token_for(pilot).post(f"{base(club)}/aircraft/{aircraft.pk}/squawks",
                                     {"data": {"type": "squawk", "attributes": {"description": "Oil on the cowling",
                                                                                "severity": "deferred"}}})
    assert response.status_code == 201, response.content
    a = response.json()["data"]["attributes"]
    assert (a["severity"], a["status"], a["reported_by"], a["has_photo"]) == ("deferred", "open",
                                                                              pilot.user.display_name, False)
    squawk = Squawk.objects.get()
    listed = api.get(f"{base(club)}/squawks", {"status": "open", "severity": "deferred"}).json()["data"]
    assert [s["id"] for s in listed] == [str(squawk.pk)]
    assert api.get(f"{base(club)}/squawks", {"severity": "grounding"}).json()["data"] == []
    assert [s["id"] for s in api.get(f"{base(club)}/aircraft/{aircraft.pk}/squawks").json()["data"]] == [str(squawk.pk)]
    aircraft.refresh_from_db()
    assert aircraft.status == "available"  # deferred: flyable


def test_a_grounding_squawk_grounds_until_maintenance_clears_it(api, token_for, club, aircraft, pilot, mechanic):
    response = api.post(f"{base(club)}/aircraft/{aircraft.pk}/squawks", {"description": "Prop nick",
                                                                         "severity": "grounding"})
    assert response.status_code == 201
    squawk_id = response.json()["data"]["id"]
    aircraft.refresh_from_db()
    assert aircraft.status == "grounded" and aircraft.grounded_by_maintenance
    assert _error(token_for(pilot).post(f"{base(club)}/squawks/{squawk_id}/clear", {"note": "Looks fine"})) == (
        403, "not_allowed")
    assert _error(token_for(mechanic).post(f"{base(club)}/squawks/{squawk_id}/clear", {})) == (400, "validation_error")
    assert _error(token_for(mechanic).post(f"{base(club)}/squawks/{squawk_id}/clear", {"note": " "})) == (
        422, "reason_required")
    response = token_for(mechanic).post(f"{base(club)}/squawks/{squawk_id}/clear", {"note": "Dressed the nick"})
    assert response.status_code == 200, response.content
    assert response.json()["data"]["attributes"]["status"] == "cleared"
    aircraft.refresh_from_db()
    assert aircraft.status == "available" and not aircraft.grounded_by_maintenance
    assert _error(token_for(mechanic).post(f"{base(club)}/squawks/{squawk_id}/clear", {"note": "again"})) == (
        409, "squawk_cleared")


@pytest.mark.parametrize("body, field", [
    ({}, "description"),
    ({"description": "x", "severity": "catastrophic"}, "severity"),
    ({"description": "x", "photo": "data:image/png;base64,AAAA"}, "photo"),
    ({"description": ["x"]}, "description"),
])
def test_a_bad_squawk_is_400_and_files_nothing(api, club, aircraft, body, field):
    response = api.post(f"{base(club)}/aircraft/{aircraft.pk}/squawks", body)
    assert _error(response) == (400, "validation_error")
    assert response.json()["error"]["details"]["field"] == field
    assert not Squawk.objects.exists()


def test_a_blank_squawk_is_refused_by_the_service(api, club, aircraft):
    assert _error(api.post(f"{base(club)}/aircraft/{aircraft.pk}/squawks", {"description": "   "})) == (
        422, "squawk_required")


def test_a_viewer_may_read_but_not_report(token_for, club, aircraft):
    viewer = make_member(club, "viewer", is_viewer=True)
    client = token_for(viewer)
    assert client.get(f"{base(club)}/squawks").status_code == 200
    assert _error(client.post(f"{base(club)}/aircraft/{aircraft.pk}/squawks", {"description": "x"})) == (
        403, "not_allowed")


def test_a_bad_filter_is_400_naming_it(api, club):
    response = api.get(f"{base(club)}/squawks", {"status": "fixed"})
    assert _error(response) == (400, "validation_error") and response.json()["error"]["details"]["field"] == "status"


def test_another_clubs_aircraft_and_squawks_are_not_found(api, club, other_club, other_aircraft, outsider):
    theirs = squawk_report(actor=outsider, aircraft=other_aircraft, description="Theirs")
    assert _error(api.get(f"{base(club)}/aircraft/{other_aircraft.pk}/maintenance-items")) == (404, "unknown_aircraft")
    assert _error(api.post(f"{base(club)}/aircraft/{other_aircraft.pk}/squawks", {"description": "x"})) == (
        404, "unknown_aircraft")
    assert _error(api.get(f"{base(club)}/squawks/{theirs.pk}")) == (404, "squawk_not_found")
    assert _error(api.post(f"{base(club)}/squawks/{theirs.pk}/clear", {"note": "x"})) == (404, "squawk_not_found")
    assert api.get(f"{base(club)}/squawks").json()["data"] == []
    theirs.refresh_from_db()
    assert theirs.is_open
