from django.urls import reverse

from clubs.models import AuditEvent
from tests.conftest import client_for


def test_admin_changes_timezone_and_domain_audited(admin, club):
    r = client_for(admin).post(reverse("club_settings", args=[club.slug]), {
        "name": "Test Aero Club", "timezone": "America/Toronto", "wiflight_user_domain": "@TAC.example.org",
        "day_starts": "06:00", "day_ends": "22:00", "booking_step_minutes": "30", "default_booking_minutes": "60",
        "altitude_unit": "ft"})
    assert r.status_code == 302
    club.refresh_from_db()
    assert club.timezone == "America/Toronto" and club.wiflight_user_domain == "tac.example.org"
    assert AuditEvent.objects.get(action="club.updated").details["timezone"] == {"from": "Europe/Paris", "to": "America/Toronto"}


def test_unknown_timezone_refused(admin, club):
    r = client_for(admin).post(reverse("club_settings", args=[club.slug]), {"name": "X", "timezone": "Mars/Olympus"})
    assert r.status_code == 400
    club.refresh_from_db()
    assert club.timezone == "Europe/Paris" and club.name == "Test Aero Club"


def test_dispatcher_cannot_change_settings(dispatcher, club):
    assert client_for(dispatcher).get(reverse("club_settings", args=[club.slug])).status_code == 404
