"""The API's view of retired aircraft: listed with `retired`, refused for bookings."""

from dispatch.services.fleet import aircraft_retire
from tests.api.conftest import _no_rate_limit_unless_asked, api, base, write_key  # noqa: F401 - fixtures
from tests.conftest import at


def test_a_retired_aircraft_is_listed_as_retired_and_refused_for_bookings(api, club, admin, aircraft, aircraft2, pilot):  # noqa: F811
    aircraft_retire(actor=admin, aircraft=aircraft)
    rows = {r["attributes"]["registration"]: r["attributes"] for r in api.get(f"{base(club)}/aircraft").json()["data"]}
    assert rows["F-GABC"]["retired"] is True and rows["F-GABC"]["retired_at"]
    assert rows["F-GXYZ"]["retired"] is False and rows["F-GXYZ"]["retired_at"] is None
    refused = api.post(f"{base(club)}/bookings", {"data": {"type": "booking", "attributes": {
        "aircraft": "F-GABC", "start": at(10, 9).isoformat(), "end": at(10, 11).isoformat(),
        "crew": [{"member": str(pilot.pk), "role": "pic"}]}}})
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "aircraft_retired")
