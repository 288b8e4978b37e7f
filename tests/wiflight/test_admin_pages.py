"""The club admin's Wi-Flight pages: settings (secrets write-only), queue, retry now, metrics."""

from django.urls import reverse
from django.utils import timezone

from integrations.wiflight.models import ReservationSync, WiFlightConnection
from clubs.models import AuditEvent
from tests.conftest import client_for

FORM = {"enabled": "on", "base_url": "https://wf.example.org", "username": "fleet@tac.example.com",
        "password": "s3cret-wf-password", "name_domain": "@TAC.example.com", "match_domain": "flightline-x-tac",
        "notify_profile": "", "maintenance_domain": ""}


def test_admin_saves_settings_password_encrypted_never_shown_nor_logged(admin, club):
    client = client_for(admin)
    assert client.post(reverse("wiflight:settings", args=[club.slug]), FORM).status_code == 302
    conn = WiFlightConnection.objects.get(organization=club)
    assert conn.password == "s3cret-wf-password" and "s3cret" not in conn.password_encrypted
    assert conn.name_domain == "tac.example.com"
    page = client.get(reverse("wiflight:settings", args=[club.slug])).content.decode()
    assert "s3cret" not in page and "A password is stored" in page
    event = AuditEvent.objects.get(action="wiflight.settings")
    assert "password" in event.summary and "s3cret" not in str(event.details) + event.summary


def test_empty_password_keeps_the_stored_one(admin, club):
    client = client_for(admin)
    client.post(reverse("wiflight:settings", args=[club.slug]), FORM)
    client.post(reverse("wiflight:settings", args=[club.slug]), {**FORM, "password": "", "notify_profile": "p"})
    conn = WiFlightConnection.objects.get(organization=club)
    assert conn.password == "s3cret-wf-password" and conn.notify_profile == "p"


def test_enabling_without_credentials_is_refused(admin, club):
    r = client_for(admin).post(reverse("wiflight:settings", args=[club.slug]), {**FORM, "password": "", "username": ""})
    assert r.status_code == 400 and "To switch the sync on" in r.content.decode()
    assert not WiFlightConnection.objects.exists()


def test_only_admins_see_settings_dispatchers_see_queue(dispatcher, pilot, outsider, club):
    assert client_for(dispatcher).get(reverse("wiflight:settings", args=[club.slug])).status_code == 404
    assert client_for(dispatcher).get(reverse("wiflight:queue", args=[club.slug])).status_code == 200
    assert client_for(pilot).get(reverse("wiflight:queue", args=[club.slug])).status_code == 404
    assert client_for(outsider).get(reverse("wiflight:queue", args=[club.slug])).status_code == 404


def _dead_row(club, booking):
    return ReservationSync.objects.create(organization=club, name=f"{booking.uid}@tac.example.com", kind="booking",
                                          booking=booking, state="dead", last_error="403 Cannot reserve this aircraft",
                                          next_attempt_at=timezone.now())


def test_queue_lists_dead_rows_and_retry_now_makes_them_due(dispatcher, club, booking):
    row = _dead_row(club, booking)
    client = client_for(dispatcher)
    page = client.get(reverse("wiflight:queue", args=[club.slug])).content.decode()
    assert "403 Cannot reserve this aircraft" in page and "Gave up" in page
    client.post(reverse("wiflight:retry", args=[club.slug, row.pk]))
    row.refresh_from_db()
    assert row.state == "pending" and row.attempts == 0
    assert AuditEvent.objects.filter(action="wiflight.retry").exists()


def test_outsider_cannot_retry_another_clubs_row(outsider, other_club, club, booking):
    row = _dead_row(club, booking)
    # Another club's row does not exist for them: 404, not "Nothing to retry" (which said it does).
    assert client_for(outsider).post(reverse("wiflight:retry", args=[other_club.slug, row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.state == "dead"


def test_booking_page_shows_why_sync_gave_up(dispatcher, club, booking):
    _dead_row(club, booking)
    page = client_for(dispatcher).get(reverse("dispatch:booking", args=[club.slug, booking.pk])).content.decode()
    assert "Wi-Flight sync gave up" in page and "Cannot reserve this aircraft" in page


def test_metrics_need_the_token(client, settings, club, booking):
    _dead_row(club, booking)
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "tok-123"
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope").status_code == 404
    body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer tok-123").content.decode()
    assert 'flightline_wiflight_sync_rows{state="dead"} 1' in body


def test_moving_the_connection_needs_the_password_again(admin, club):
    client = client_for(admin)
    client.post(reverse("wiflight:settings", args=[club.slug]), FORM)
    r = client.post(reverse("wiflight:settings", args=[club.slug]),
                    {**FORM, "password": "", "base_url": "https://evil.example.net"})
    assert r.status_code == 400 and "Give the password again" in r.content.decode()
    assert WiFlightConnection.objects.get(organization=club).base_url == "https://wf.example.org"


def test_an_address_flightline_may_not_connect_to_is_refused_on_the_form(admin, club, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    r = client_for(admin).post(reverse("wiflight:settings", args=[club.slug]), {**FORM, "base_url": "https://10.0.0.1"})
    assert r.status_code == 400
    assert list(r.context["form"].errors) == ["base_url"]  # the service's message, on the field
    assert not WiFlightConnection.objects.filter(organization=club).exists()


def test_plain_http_refused_in_production(admin, club, settings):
    settings.DEBUG = False
    r = client_for(admin).post(reverse("wiflight:settings", args=[club.slug]), {**FORM, "base_url": "http://wf.example.org"})
    assert r.status_code == 400 and "https://" in r.content.decode()
