"""The endpoint services: who may, which URLs, which events, the secret shown once."""

import pytest

from core.errors import Conflict, Invalid, NotAllowed, NotFound
from integrations.webhooks.endpoints import (
    MAX_ENDPOINTS_PER_CLUB, endpoint_create, endpoint_delete, endpoint_rotation_end, endpoint_secret_rotate,
    endpoint_update)
from integrations.webhooks.models import WebhookEndpoint

URL = "https://hooks.example.com/flightline"


@pytest.fixture(autouse=True)
def _no_dns(monkeypatch):
    """hooks.example.com resolves to a public address (no resolver in the tests)."""
    import socket

    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "hooks.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port or 443))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_an_admin_adds_an_endpoint_and_gets_its_secret_once(admin, club):
    endpoint, secret = endpoint_create(actor=admin, url=URL, events=["booking.created", "flight_log.created"])
    assert secret.startswith("whsec_") and endpoint.secret == secret
    stored = WebhookEndpoint.objects.filter(pk=endpoint.pk).values_list("secret_encrypted", flat=True).get()
    assert secret not in stored and secret[6:] not in stored
    assert endpoint.events == ["flight_log.created", "booking.created"]  # the catalogue's order
    assert club.audit_events.filter(action="webhook.endpoint_created").exists()


@pytest.mark.parametrize("url,code", [
    ("ftp://hooks.example.com/x", "webhook_url_invalid"),
    ("https://user:pw@hooks.example.com/x", "webhook_url_invalid"),
    ("https:///nohost", "webhook_url_invalid"),
    ("https://hooks.example.com/" + "x" * 500, "webhook_url_invalid"),
    ("http://hooks.example.com/x", "webhook_https_required"),
    ("http://10.0.0.1/x", "webhook_https_required"),
    ("https://10.0.0.1/x", "outbound_address_refused"),
    ("https://169.254.169.254/latest/meta-data/", "outbound_address_refused"),
    ("https://[::1]/x", "outbound_address_refused"),
    ("https://hooks.example.com/\x0bx", "control_characters"),
])
def test_urls_refused_and_nothing_stored(admin, settings, url, code):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with pytest.raises(Invalid) as refused:
        endpoint_create(actor=admin, url=url, events=["booking.created"])
    assert (refused.value.code, refused.value.field) == (code, "url")
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_only_to_an_address_of_an_allowed_network(admin, settings):
    settings.DEBUG, settings.OUTBOUND_ALLOWED_NETWORKS = False, ["127.0.0.0/8"]
    endpoint_create(actor=admin, url="http://127.0.0.1:9/in", events=["booking.created"])
    with pytest.raises(Invalid) as refused:
        endpoint_create(actor=admin, url="http://localhost:9/in", events=["booking.created"])
    assert refused.value.code == "webhook_https_required"


def test_plain_http_anywhere_while_debug(admin, settings):
    settings.DEBUG = True
    endpoint_create(actor=admin, url="http://hooks.example.com/in", events=["booking.created"])


@pytest.mark.parametrize("events,code", [([], "webhook_events_required"),
                                         (["booking.dispatched"], "webhook_event_unknown"),
                                         (["invoice.changed", "booking.created"], "webhook_event_unknown")])
def test_events_must_be_offered_ones(admin, events, code):
    with pytest.raises(Invalid) as refused:
        endpoint_create(actor=admin, url=URL, events=events)
    assert (refused.value.code, refused.value.field) == (code, "events")


@pytest.mark.parametrize("persona", ["dispatcher", "pilot", "mechanic"])
def test_only_admins_manage_webhooks(request, persona, admin):
    member = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        endpoint_create(actor=member, url=URL, events=["booking.created"])
    endpoint, _ = endpoint_create(actor=admin, url=URL, events=["booking.created"])
    for call in (lambda: endpoint_secret_rotate(actor=member, endpoint=endpoint),
                 lambda: endpoint_delete(actor=member, endpoint=endpoint),
                 lambda: endpoint_update(actor=member, endpoint=endpoint, url=URL, events=["booking.created"],
                                         description="", active=False)):
        with pytest.raises(NotAllowed):
            call()
    assert WebhookEndpoint.objects.get().is_active


def test_an_api_key_account_may_not_add_endpoints(admin):
    from api.keys import api_key_create

    key, _ = api_key_create(actor=admin, name="script", scopes="read,write")
    with pytest.raises(NotAllowed):
        endpoint_create(actor=key.actor, url=URL, events=["booking.created"])


def test_another_clubs_endpoint_is_not_found(admin, outsider):
    endpoint, _ = endpoint_create(actor=admin, url=URL, events=["booking.created"])
    for call in (lambda: endpoint_secret_rotate(actor=outsider, endpoint=endpoint),
                 lambda: endpoint_rotation_end(actor=outsider, endpoint=endpoint),
                 lambda: endpoint_delete(actor=outsider, endpoint=endpoint),
                 lambda: endpoint_update(actor=outsider, endpoint=endpoint, url=URL, events=["booking.created"],
                                         description="", active=False)):
        with pytest.raises(NotFound):
            call()
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).exists()


def test_switching_an_endpoint_on_again_clears_why_it_was_off(admin):
    endpoint, _ = endpoint_create(actor=admin, url=URL, events=["booking.created"])
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False, disabled_reason="410 Gone")
    endpoint.refresh_from_db()
    endpoint = endpoint_update(actor=admin, endpoint=endpoint, url=URL, events=["booking.created", "member.added"],
                               description="Club website", active=True)
    assert endpoint.is_active and endpoint.disabled_reason == "" and endpoint.events == ["member.added",
                                                                                         "booking.created"]


def test_rotating_keeps_the_previous_secret_until_it_is_ended(admin):
    from django.utils import timezone

    endpoint, first = endpoint_create(actor=admin, url=URL, events=["booking.created"])
    second = endpoint_secret_rotate(actor=admin, endpoint=endpoint)
    endpoint.refresh_from_db()
    assert endpoint.signing_secrets(timezone.now()) == [second, first]
    third = endpoint_secret_rotate(actor=admin, endpoint=endpoint)  # mid-rotation: replaces the new one only
    endpoint.refresh_from_db()
    assert endpoint.signing_secrets(timezone.now()) == [third, first]
    assert endpoint_rotation_end(actor=admin, endpoint=endpoint) is True
    endpoint.refresh_from_db()
    assert endpoint.signing_secrets(timezone.now()) == [third]
    assert endpoint_rotation_end(actor=admin, endpoint=endpoint) is False


def test_a_club_has_a_bounded_number_of_endpoints(admin):
    for _ in range(MAX_ENDPOINTS_PER_CLUB):
        endpoint_create(actor=admin, url=URL, events=["booking.created"])
    with pytest.raises(Conflict) as refused:
        endpoint_create(actor=admin, url=URL, events=["booking.created"])
    assert refused.value.code == "webhook_endpoint_limit"


def test_removing_an_endpoint_removes_its_queue(admin, pilot, django_capture_on_commit_callbacks):
    from flights.services.manual_entries import ManualEntryInput, logbook_entry_create
    from integrations.webhooks.models import WebhookMessage
    from tests.conftest import at

    endpoint, _ = endpoint_create(actor=admin, url=URL, events=["flight_log.created"])
    with django_capture_on_commit_callbacks(execute=False):
        logbook_entry_create(actor=pilot, data=ManualEntryInput(date=at(12, 9).date(), registration="F-X",
                                                                block_minutes=30))
    assert WebhookMessage.objects.count() == 1
    endpoint_delete(actor=admin, endpoint=endpoint)
    assert not WebhookMessage.objects.exists() and not WebhookEndpoint.objects.exists()
