"""The club's Wi-Flight settings page: what to tell Wi-Flight, the secret shown once,
rotation; the flights admin page (reconciliation runs, unmatched flights)."""

from flights.models import Flight
from integrations.wiflight.models import ReconciliationRun, WiFlightConnection
from clubs.models import AuditEvent
from tests.wiflight.flight_fixtures import SECRET, notify_conn  # noqa: F401 - fixture


def test_settings_page_says_what_to_register(as_user, admin, notify_conn, settings):
    settings.PUBLIC_BASE_URL = "https://flightline.example.org"
    html = as_user(admin).get("/o/tac/wiflight/").content.decode()
    assert "https://flightline.example.org/wiflight/notify/tac/" in html and "HTTP Basic" in html and "<code>wiflight</code>" in html
    assert SECRET not in html


def test_generate_shows_the_secret_once_and_keeps_the_old_one_until_the_rotation_ends(as_user, admin, notify_conn):
    client = as_user(admin)
    response = client.post("/o/tac/wiflight/notify-secret/")
    secret = response.context["secret"]
    assert response.status_code == 200 and secret in response.content.decode() and response["Cache-Control"] == "no-store"
    conn = WiFlightConnection.objects.get()
    assert (conn.notify_secret, conn.notify_previous_secret) == (secret, SECRET)
    assert secret not in client.get("/o/tac/wiflight/").content.decode()
    assert secret not in str(list(AuditEvent.objects.values_list("summary", "details")))
    client.post("/o/tac/wiflight/notify-secret/end-rotation/")
    conn.refresh_from_db()
    assert conn.notify_previous_secret == "" and conn.notify_secret == secret


def test_only_admins_touch_the_secret(as_user, dispatcher, outsider, notify_conn):
    assert as_user(dispatcher).post("/o/tac/wiflight/notify-secret/").status_code == 404
    assert as_user(outsider).post("/o/tac/wiflight/notify-secret/").status_code == 404
    assert WiFlightConnection.objects.get().notify_secret == SECRET


def test_flights_admin_page_shows_last_run_and_unmatched(as_user, admin, club, aircraft, notify_conn, dispatcher):
    from django.utils import timezone

    now = timezone.now()
    ReconciliationRun.objects.create(organization=club, window_start=now, window_end=now, finished_at=now,
                                     flights_listed=3, flights_ingested=1, ingested_ids=["77"])
    Flight.objects.create(organization=club, wiflight_id="77", tail="F-GABC", aircraft=aircraft, start=now,
                          length_seconds=60, engine_seconds=60, airtime_seconds=0, raw_document="<flight/>",
                          source="reconciliation", unmatched_reservation="gone@tac.example.com")
    html = as_user(admin).get("/o/tac/wiflight/flights/").content.decode()
    assert "3 listed, 1 new" in html and "gone@tac.example.com" in html
    assert as_user(dispatcher).get("/o/tac/wiflight/flights/").status_code == 404


def test_seed_demo_sets_the_simulator_profile_secret(db):
    from django.core.management import call_command

    from portal.management.commands.seed_demo import DEMO_NOTIFY_SECRET

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    conn = WiFlightConnection.objects.get(organization__slug="demo")
    assert (conn.notify_username, conn.notify_secret) == ("wiflight", "demo-notify-secret") == ("wiflight", DEMO_NOTIFY_SECRET)
