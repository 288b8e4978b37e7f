"""Members' licence, medical and flight-review expiry dates: read by those who see members,
written through PATCH by admins and dispatchers (clubs.services.member_documents_update),
audited; bad dates 400 with nothing changed."""

from datetime import date

import pytest

from clubs.models import AuditEvent
from tests.api.conftest import base


def _error(response):
    return response.status_code, response.json()["error"]["code"]


def test_the_dates_are_read_with_the_member(api, club, pilot):
    pilot.medical_expires_on = date(2031, 5, 31)
    pilot.save()
    a = api.get(f"{base(club)}/members/{pilot.pk}").json()["data"]["attributes"]
    assert (a["licence_expires_on"], a["medical_expires_on"], a["flight_review_expires_on"]) == (None, "2031-05-31", None)


def test_a_key_sets_the_dates_and_clears_one(api, club, pilot):
    pilot.licence_expires_on = date(2030, 1, 1)
    pilot.save()
    response = api.patch(f"{base(club)}/members/{pilot.pk}", {"medical_expires_on": "2031-05-31",
                                                              "licence_expires_on": None})
    assert response.status_code == 200, response.content
    pilot.refresh_from_db()
    assert (pilot.licence_expires_on, pilot.medical_expires_on) == (None, date(2031, 5, 31))
    assert response.json()["data"]["attributes"]["medical_expires_on"] == "2031-05-31"
    assert AuditEvent.objects.filter(action="member.documents_changed").count() == 1


def test_a_dispatcher_sets_dates_but_not_roles(token_for, club, pilot, dispatcher):
    client = token_for(dispatcher)
    assert client.patch(f"{base(club)}/members/{pilot.pk}", {"flight_review_expires_on": "2032-02-29"}).status_code == 200
    pilot.refresh_from_db()
    assert pilot.flight_review_expires_on == date(2032, 2, 29)
    response = client.patch(f"{base(club)}/members/{pilot.pk}", {"roles": ["pilot", "admin"],
                                                                 "medical_expires_on": "2031-01-01"})
    assert response.status_code == 403
    pilot.refresh_from_db()
    assert pilot.medical_expires_on is None and not pilot.is_admin  # neither half happened


def test_a_pilot_may_not_see_or_set_them(token_for, club, pilot):
    response = token_for(pilot).patch(f"{base(club)}/members/{pilot.pk}", {"medical_expires_on": "2040-01-01"})
    assert response.status_code == 403
    pilot.refresh_from_db()
    assert pilot.medical_expires_on is None


@pytest.mark.parametrize("value", ["31/05/2031", "2031-02-30", 20310531, "2031-5-1", "3000-01-01"])
def test_a_garbage_date_is_400_naming_the_field(api, club, pilot, value):
    response = api.patch(f"{base(club)}/members/{pilot.pk}", {"medical_expires_on": value})
    assert _error(response) == (400, "validation_error")
    assert response.json()["error"]["details"]["field"] == "medical_expires_on"
    pilot.refresh_from_db()
    assert pilot.medical_expires_on is None


def test_another_clubs_member_is_not_found(api, club, outsider):
    assert api.patch(f"{base(club)}/members/{outsider.pk}", {"medical_expires_on": "2031-01-01"}).status_code == 404
    outsider.refresh_from_db()
    assert outsider.medical_expires_on is None
