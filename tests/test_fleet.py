import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dispatch.models import Aircraft
from dispatch.services.fleet import AircraftInput, aircraft_create, aircraft_set_status
from clubs.models import AuditEvent
from tests.conftest import client_for


def test_registration_is_normalized_and_unique_per_club(admin, other_club):
    a = aircraft_create(actor=admin, data=AircraftInput(registration=" f-gdef ", aircraft_type="DR400"))
    assert a.registration == "F-GDEF"
    with pytest.raises(ValidationError, match="already has an aircraft registered F-GDEF"):
        aircraft_create(actor=admin, data=AircraftInput(registration="F-gdef", aircraft_type="DR400"))
    Aircraft.objects.create(organization=other_club, registration="F-GDEF", aircraft_type="DR400")


def test_database_refuses_lower_case_and_groundless_grounding(club):
    with pytest.raises(IntegrityError), transaction.atomic():
        Aircraft.objects.create(organization=club, registration="f-gzzz", aircraft_type="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Aircraft.objects.create(organization=club, registration="F-GZZZ", aircraft_type="x", status="grounded")


def test_only_admins_add_aircraft(dispatcher, club):
    with pytest.raises(ValidationError) as refused:
        aircraft_create(actor=dispatcher, data=AircraftInput(registration="F-GNEW", aircraft_type="x"))
    assert refused.value.code == "not_allowed" and "Only club admins add aircraft" in refused.value.message
    assert client_for(dispatcher).get(reverse("dispatch:aircraft_new", args=[club.slug])).status_code == 404


def test_maintenance_grounds_with_reason_and_releases(mechanic, aircraft, club):
    client = client_for(mechanic)
    r = client.post(reverse("dispatch:aircraft_status", args=[club.slug, aircraft.pk]), {"action": "ground", "reason": ""})
    aircraft.refresh_from_db()
    assert r.status_code == 302 and not aircraft.is_grounded
    client.post(reverse("dispatch:aircraft_status", args=[club.slug, aircraft.pk]), {"action": "ground", "reason": "Flat tyre"})
    aircraft.refresh_from_db()
    assert aircraft.is_grounded and aircraft.grounded_reason == "Flat tyre"
    client.post(reverse("dispatch:aircraft_status", args=[club.slug, aircraft.pk]), {"action": "release"})
    aircraft.refresh_from_db()
    assert not aircraft.is_grounded and aircraft.grounded_reason == ""
    assert [e.action for e in AuditEvent.objects.all()] == ["aircraft.released", "aircraft.grounded"]


def test_pilot_cannot_ground(pilot, aircraft):
    with pytest.raises(ValidationError) as refused:
        aircraft_set_status(actor=pilot, aircraft=aircraft, grounded=True, reason="x")
    assert refused.value.code == "not_allowed"
    aircraft.refresh_from_db()
    assert not aircraft.is_grounded


def test_add_aircraft_page(admin, club):
    r = client_for(admin).post(reverse("dispatch:aircraft_new", args=[club.slug]), {
        "registration": "f-gnew", "aircraft_type": "Robin", "kind": "airplane", "home_base": "lfpn", "hourly_rate": "140"})
    assert r.status_code == 302
    a = Aircraft.objects.get(registration="F-GNEW")
    assert a.home_base == "LFPN" and a.organization == club
