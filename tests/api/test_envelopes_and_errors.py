"""The PilotFlows envelopes, and every error in the one error envelope."""

import pytest

from api.keys import api_key_revoke
from flights.models import LogbookEntry
from tests.api.conftest import ApiClient, base

REFERENCE_EXAMPLE = {"date": "2024-01-15", "aircraft": "N12345", "duration": 1.5}


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    return body["error"]


def test_the_references_own_example_works_as_written(api, club):
    response = api.post(f"{base(club)}/flight-logs", {"data": {"type": "flight_log", "attributes": REFERENCE_EXAMPLE}})
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert set(data) == {"id", "type", "attributes"} and data["type"] == "flight_log" and data["id"].isdigit()
    assert {k: data["attributes"][k] for k in REFERENCE_EXAMPLE} == REFERENCE_EXAMPLE
    entry = LogbookEntry.objects.get(pk=data["id"])
    assert (entry.registration, entry.block_minutes, entry.date.isoformat()) == ("N12345", 90, "2024-01-15")
    # The bare attributes object is accepted too.
    assert api.post(f"{base(club)}/flight-logs", REFERENCE_EXAMPLE).status_code == 201


def test_a_bad_date_answers_as_the_reference_shows_and_stores_nothing(api, club):
    error = _error(api.post(f"{base(club)}/flight-logs", {**REFERENCE_EXAMPLE, "date": "15/01/2024"}),
                   400, "validation_error")
    assert error["details"]["field"] == "date"
    assert error["details"]["issue"] == "Date must be in YYYY-MM-DD format"
    assert not LogbookEntry.objects.exists()


def test_every_field_error_is_listed(api, club):
    error = _error(api.post(f"{base(club)}/flight-logs", {"date": "yesterday", "duration": -1}), 400,
                   "validation_error")
    assert {e["field"] for e in error["details"]["errors"]} == {"date", "aircraft", "duration"}


def test_unknown_urls_under_api_are_404_in_the_envelope(api):
    for path in ("/api/v1/nothing-here", "/api/v2/organizations", "/api/", "/api/v1/organizations/tac/nope"):
        _error(api.get(path), 404, "not_found")


def test_no_credential_unknown_and_revoked_keys_are_401(club, admin, write_key):
    error = _error(ApiClient(None).get("/api/v1/organizations"), 401, "unauthenticated")
    assert error["message"]
    _error(ApiClient("fl_not-a-key").get("/api/v1/organizations"), 401, "invalid_credentials")
    response = ApiClient("fl_not-a-key").get("/api/v1/organizations")
    assert response["WWW-Authenticate"].startswith("Bearer")
    key, raw = write_key
    assert ApiClient(raw).get("/api/v1/organizations").status_code == 200
    api_key_revoke(actor=admin, key=key)
    _error(ApiClient(raw).get("/api/v1/organizations"), 401, "invalid_credentials")


def test_method_media_type_and_malformed_bodies(api, club):
    _error(api.delete(f"{base(club)}/bookings"), 405, "method_not_allowed")
    _error(api.post(f"{base(club)}/flight-logs", "date=2024-01-15", content_type="text/plain"), 415,
           "unsupported_media_type")
    _error(api.post(f"{base(club)}/flight-logs", '{"date": '), 400, "malformed_body")
    _error(api.post(f"{base(club)}/flight-logs", "[1, 2]"), 400, "validation_error")


def test_a_body_over_the_limit_is_413(api, club, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    _error(api.post(f"{base(club)}/flight-logs", {**REFERENCE_EXAMPLE, "remarks": "x" * 5000}), 413,
           "payload_too_large")
    assert not LogbookEntry.objects.exists()


def test_a_server_error_is_500_in_the_envelope(api, club, monkeypatch):
    from api.resources import organizations

    def boom(org):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(organizations, "attributes", boom)
    error = _error(api.get(f"{base(club)}"), 500, "server_error")
    assert "kaboom" not in error["message"]


def test_a_key_of_another_club_finds_nothing_of_ours(other_api, club, booking):
    for path in (base(club), f"{base(club)}/bookings", f"{base(club)}/bookings/{booking.pk}",
                 f"{base(club)}/flight-logs"):
        _error(other_api.get(path), 404, "not_found")
    _error(other_api.post(f"{base(club)}/flight-logs", REFERENCE_EXAMPLE), 404, "not_found")
    # ...and our booking's id under their own organization is not found either.
    _error(other_api.get(f"/api/v1/organizations/other/bookings/{booking.pk}"), 404, "booking_not_found")
    assert not LogbookEntry.objects.exists()


def test_a_read_key_reads_and_cannot_write(api_read, club, booking):
    assert api_read.get(f"{base(club)}/bookings").json()["meta"]["count"] == 1
    error = _error(api_read.post(f"{base(club)}/flight-logs", REFERENCE_EXAMPLE), 403, "insufficient_scope")
    assert "read" in error["message"]
    _error(api_read.post(f"{base(club)}/bookings/{booking.pk}/cancel"), 403, "insufficient_scope")
    assert not LogbookEntry.objects.exists()


def test_organizations_lists_what_the_credential_may_use(api, club, other_club):
    body = api.get("/api/v1/organizations").json()
    assert [o["attributes"]["slug"] for o in body["data"]] == ["tac"]
    assert body["meta"]["count"] == 1 and body["links"]["self"].endswith("/api/v1/organizations")


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page_size=100000", "start=tomorrow",
                                   "start=2030-06-10T09:00:00", "member=%C2%B2", "status=lost"])
def test_bad_query_strings_are_400_and_name_the_parameter(api, club, query):
    error = _error(api.get(f"{base(club)}/bookings?{query}"), 400, "validation_error")
    assert error["details"]["field"] == query.split("=")[0]


def test_a_client_that_accepts_no_json_gets_406_in_json(api, club):
    response = api.get(f"{base(club)}/bookings", HTTP_ACCEPT="text/html")
    _error(response, 406, "not_acceptable")


def test_unknown_attributes_are_refused_not_dropped(api, club, booking):
    error = _error(api.patch(f"{base(club)}/bookings/{booking.pk}", {"status": "cancelled"}), 400, "validation_error")
    assert error["details"]["field"] == "status"
    booking.refresh_from_db()
    assert booking.status == "booked"
    wrong_type = api.post(f"{base(club)}/flight-logs", {"data": {"type": "booking", "attributes": REFERENCE_EXAMPLE}})
    assert _error(wrong_type, 400, "validation_error")["details"]["field"] == "data.type"
