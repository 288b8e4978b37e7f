"""The admin's webhook pages: only admins of the club, the secret shown once, refusals on
the form, the delivery log with "send again", the 410 notice."""

import pytest
from django.urls import reverse

from integrations.webhooks.models import WebhookEndpoint, WebhookMessage
from tests.conftest import client_for


def _url(name, club, *args):
    return reverse(f"webhooks:{name}", args=[club.slug, *args])


@pytest.fixture
def endpoint(make_endpoint, receiver):
    return make_endpoint(receiver.url, events=["flight_log.created"], description="Club website")[0]


def test_an_admin_adds_an_endpoint_and_sees_the_secret_once(admin, club, receiver):
    response = client_for(admin).post(_url("endpoints", club), {
        "url": receiver.url, "description": "Logbook app", "events": ["flight_log.created", "member.removed"]})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    assert endpoint.events == ["flight_log.created", "member.removed"]
    page = client_for(admin).get(_url("endpoint", club, endpoint.pk)).content.decode()
    assert "Logbook app" in page and endpoint.secret not in page


@pytest.mark.parametrize("url,message", [
    ("not a url", "Enter a valid URL."),
    ("https://10.0.0.1/hooks", "private, loopback or link-local"),
    ("ftp://example.com/x", "full address, like https://"),
])
def test_a_bad_url_is_a_clear_error_and_nothing_is_stored(admin, club, settings, url, message):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    response = client_for(admin).post(_url("endpoints", club), {"url": url, "events": ["booking.created"]})
    assert response.status_code == 400 and message in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_to_a_name_is_refused_on_the_form(admin, club):
    response = client_for(admin).post(_url("endpoints", club), {"url": "http://example.invalid/in",
                                                                "events": ["booking.created"]})
    assert response.status_code == 400 and "https://" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("persona", ["dispatcher", "pilot", "mechanic", "instructor"])
def test_members_who_are_not_admins_get_404_on_every_page(request, persona, club, endpoint):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(_url("endpoints", club)).status_code == 404
    assert client.get(_url("endpoint", club, endpoint.pk)).status_code == 404
    assert client.post(_url("delete", club, endpoint.pk)).status_code == 404
    assert client.post(_url("rotate", club, endpoint.pk)).status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_another_clubs_endpoint_is_404(outsider, other_club, endpoint):
    client = client_for(outsider)
    assert client.get(_url("endpoints", other_club)).status_code == 200
    for name in ("endpoint",):
        assert client.get(_url(name, other_club, endpoint.pk)).status_code == 404
    for name in ("delete", "rotate", "rotation_end"):
        assert client.post(_url(name, other_club, endpoint.pk)).status_code == 404
    assert client.post(_url("endpoint", other_club, endpoint.pk), {
        "url": "https://evil.example/", "events": ["booking.created"], "active": "on"}).status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.url.startswith("http://127.0.0.1")


def test_the_nav_links_webhooks_for_admins_only(admin, pilot, club):
    link = _url("endpoints", club)
    assert link in client_for(admin).get(reverse("club_overview", args=[club.slug])).content.decode()
    assert link not in client_for(pilot).get(reverse("dispatch:board", args=[club.slug])).content.decode()


def test_the_delivery_log_shows_attempts_and_sends_again(admin, club, endpoint, receiver, pilot,
                                                         django_capture_on_commit_callbacks):
    from flights.services.manual_entries import ManualEntryInput, logbook_entry_create
    from tests.conftest import at

    with django_capture_on_commit_callbacks(execute=True):
        logbook_entry_create(actor=pilot, data=ManualEntryInput(date=at(12, 9).date(), registration="F-X",
                                                                block_minutes=30))
    message = WebhookMessage.objects.get()
    page = client_for(admin).get(_url("endpoint", club, endpoint.pk)).content.decode()
    assert message.msg_id in page and "Delivered" in page and "200" in page and "Send again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(_url("send_again", club, endpoint.pk, message.pk))
    assert response.status_code == 302 and len(receiver.received) == 2


def test_send_again_of_another_clubs_message_is_404(outsider, other_club, club, endpoint, pilot,
                                                    django_capture_on_commit_callbacks):
    from flights.services.manual_entries import ManualEntryInput, logbook_entry_create
    from tests.conftest import at

    with django_capture_on_commit_callbacks(execute=True):
        logbook_entry_create(actor=pilot, data=ManualEntryInput(date=at(12, 9).date(), registration="F-X",
                                                                block_minutes=30))
    message = WebhookMessage.objects.get()
    response = client_for(outsider).post(_url("send_again", other_club, endpoint.pk, message.pk))
    assert response.status_code == 404 and WebhookMessage.objects.get().attempts == 1


def test_an_endpoint_switched_off_by_a_410_says_so(admin, club, endpoint, receiver, pilot,
                                                   django_capture_on_commit_callbacks):
    from flights.services.manual_entries import ManualEntryInput, logbook_entry_create
    from tests.conftest import at

    receiver.answer(410)
    with django_capture_on_commit_callbacks(execute=True):
        logbook_entry_create(actor=pilot, data=ManualEntryInput(date=at(12, 9).date(), registration="F-X",
                                                                block_minutes=30))
    page = client_for(admin).get(_url("endpoint", club, endpoint.pk)).content.decode()
    assert "This endpoint is off" in page and "410 Gone" in page
    listing = client_for(admin).get(_url("endpoints", club)).content.decode()
    assert "Off" in listing


def test_rotating_shows_the_new_secret_once(admin, club, endpoint):
    response = client_for(admin).post(_url("rotate", club, endpoint.pk))
    endpoint.refresh_from_db()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert endpoint.secret in response.content.decode()
    page = client_for(admin).get(_url("endpoint", club, endpoint.pk)).content.decode()
    assert "Rotation in progress" in page and endpoint.secret not in page


def test_editing_and_removing(admin, club, endpoint, receiver):
    client = client_for(admin)
    response = client.post(_url("endpoint", club, endpoint.pk), {
        "url": receiver.url, "description": "Renamed", "events": ["booking.created"]})
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.description, endpoint.events, endpoint.is_active) == ("Renamed", ["booking.created"], False)
    assert client.post(_url("delete", club, endpoint.pk)).status_code == 302
    assert not WebhookEndpoint.objects.exists()
