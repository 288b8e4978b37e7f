"""Admins register, change, rotate and remove a club's webhook endpoints: audited, the
secret returned once to be shown once.

Each service takes the acting membership and checks it itself: an endpoint of another club
is not found, a member who may not manage integrations is not allowed.

The URL: https. Payloads carry members' names and emails, and a signature proves who sent
them but hides nothing. Plain http only while DEBUG is on, or to an IP address inside a
network the site admin allowed with OUTBOUND_ALLOWED_NETWORKS (a receiver on a network of
theirs, where TLS is their business). Never to a name: a name can later resolve to the
internet, and the message would cross it in clear. Addresses Flightline does not connect to
are refused here, as sending would refuse them.
"""

import ipaddress
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clubs.audit import audit_record
from clubs.models import Membership, Organization
from clubs.policy import require_capability, require_same_club
from core.errors import Conflict, Invalid
from core.outbound import OutboundAddressRefused, outbound_url_check
from core.text import require_plain_line
from integrations.webhooks.catalogue import EVENTS
from integrations.webhooks.models import WebhookEndpoint
from integrations.webhooks.signing import new_secret

ONLY_ADMINS = "Only club admins manage webhooks."
MAX_ENDPOINTS_PER_CLUB = 10  # each one is an outbox row per change, written in the writer's transaction
MAX_URL_LENGTH = 500


def _require_admin_of(actor: Membership, endpoint: WebhookEndpoint) -> None:
    require_capability(actor, "manage_integrations", ONLY_ADMINS)
    require_same_club(actor, endpoint, "webhook endpoint")


def _plain_http_allowed(host: str) -> bool:
    if settings.DEBUG:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: see the module docstring
    return any(address in ipaddress.ip_network(network) for network in settings.OUTBOUND_ALLOWED_NETWORKS)


def _check_url(url: str) -> str:
    url = require_plain_line(url.strip(), field="url", label="The URL")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > MAX_URL_LENGTH:
        raise Invalid("webhook_url_invalid", "Give the receiver's full address, like https://example.com/hooks.",
                      field="url")
    if parts.username or parts.password:
        raise Invalid("webhook_url_invalid", "Leave credentials out of the URL: every message is signed instead.",
                      field="url")
    if parts.scheme != "https" and not _plain_http_allowed(parts.hostname):
        raise Invalid("webhook_https_required", "Webhooks are sent over https:// only (plain http only to an "
                      "address of a network the site admin allowed).", field="url")
    try:  # a DNS lookup: outside the transaction, which the callers open after these checks
        outbound_url_check(url)
    except OutboundAddressRefused:
        raise Invalid("outbound_address_refused", "Flightline does not send to private, loopback or link-local "
                      "addresses: give the receiver's public address.", field="url") from None
    return url


def _check_events(events: list[str]) -> list[str]:
    if not events:
        raise Invalid("webhook_events_required", "Choose at least one event.", field="events")
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise Invalid("webhook_event_unknown", f"Unknown event: {', '.join(unknown)}.", field="events")
    return [event for event in EVENTS if event in events]  # the catalogue's order


def _check_description(description: str) -> str:
    return require_plain_line(description.strip(), field="description", label="The description")[:120]


def endpoint_create(*, actor: Membership, url: str, events: list[str],
                    description: str = "") -> tuple[WebhookEndpoint, str]:
    """A new endpoint of the actor's club. Returns it and its secret, to show once."""
    require_capability(actor, "manage_integrations", ONLY_ADMINS)
    endpoint = WebhookEndpoint(organization=actor.organization, url=_check_url(url), events=_check_events(events),
                               description=_check_description(description), created_by=actor.user)
    secret = new_secret()
    endpoint.set_secret(secret)
    with transaction.atomic():
        # Counted under the club's row lock, so two admins adding at once cannot both pass.
        Organization.objects.select_for_update().filter(pk=actor.organization_id).first()
        if WebhookEndpoint.objects.filter(organization_id=actor.organization_id).count() >= MAX_ENDPOINTS_PER_CLUB:
            raise Conflict("webhook_endpoint_limit", f"A club has at most {MAX_ENDPOINTS_PER_CLUB} webhook endpoints.")
        endpoint.save()
        audit_record(organization=actor.organization, actor=actor.user, action="webhook.endpoint_created",
                     target=endpoint, summary=f"Added webhook endpoint {endpoint} for {', '.join(endpoint.events)}")
    return endpoint, secret


def endpoint_update(*, actor: Membership, endpoint: WebhookEndpoint, url: str, events: list[str],
                    description: str, active: bool) -> WebhookEndpoint:
    """Change an endpoint; switching it on again (after a 410, say) clears why it was off."""
    _require_admin_of(actor, endpoint)
    new_url = url.strip() != endpoint.url
    checked_url = _check_url(url) if new_url else endpoint.url
    events, description = _check_events(events), _check_description(description)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        before = {"url": endpoint.url, "events": endpoint.events, "description": endpoint.description,
                  "active": endpoint.is_active}
        endpoint.url, endpoint.events, endpoint.description = checked_url, events, description
        endpoint.is_active = active
        if active:
            endpoint.disabled_reason, endpoint.disabled_at = "", None
        endpoint.save()
        after = {"url": endpoint.url, "events": endpoint.events, "description": endpoint.description, "active": active}
        changed = sorted(k for k in after if after[k] != before[k])
        if changed:
            audit_record(organization=endpoint.organization, actor=actor.user, action="webhook.endpoint_changed",
                         target=endpoint, summary=f"Changed webhook endpoint {endpoint}: {', '.join(changed)}")
    return endpoint


def endpoint_delete(*, actor: Membership, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint and its delivery log; what it had not received is not sent."""
    _require_admin_of(actor, endpoint)
    with transaction.atomic():
        audit_record(organization=endpoint.organization, actor=actor.user, action="webhook.endpoint_deleted",
                     target=endpoint, summary=f"Removed webhook endpoint {endpoint}")
        WebhookEndpoint.objects.filter(pk=endpoint.pk).delete()


def endpoint_secret_rotate(*, actor: Membership, endpoint: WebhookEndpoint) -> str:
    """A new signing secret, returned once to be shown once. The current one keeps signing
    beside it for WEBHOOK_SECRET_ROTATION_HOURS (or until the rotation is ended), so the
    receiver switches without refusing a message; rotating again mid-rotation replaces only
    the new one."""
    _require_admin_of(actor, endpoint)
    secret = new_secret()
    now = timezone.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if not endpoint.rotation_in_progress(now):
            endpoint.previous_secret_encrypted = endpoint.secret_encrypted
            endpoint.previous_secret_expires_at = now + timedelta(hours=settings.WEBHOOK_SECRET_ROTATION_HOURS)
        endpoint.set_secret(secret)
        endpoint.save(update_fields=["secret_encrypted", "previous_secret_encrypted", "previous_secret_expires_at",
                                     "updated_at"])
        audit_record(organization=endpoint.organization, actor=actor.user, action="webhook.secret_rotated",
                     target=endpoint, summary=f"Rotated the signing secret of webhook endpoint {endpoint} (the "
                     f"previous one signs too until {endpoint.previous_secret_expires_at:%Y-%m-%d %H:%M} UTC)")
    return secret


def endpoint_rotation_end(*, actor: Membership, endpoint: WebhookEndpoint) -> bool:
    """The receiver has the new secret: stop signing with the previous one now."""
    _require_admin_of(actor, endpoint)
    with transaction.atomic():
        ended = WebhookEndpoint.objects.filter(pk=endpoint.pk).exclude(previous_secret_encrypted="").update(
            previous_secret_encrypted="", previous_secret_expires_at=None, updated_at=timezone.now())
        if ended:
            audit_record(organization=endpoint.organization, actor=actor.user, action="webhook.rotation_ended",
                         target=endpoint, summary=f"Ended the secret rotation of webhook endpoint {endpoint}")
    return bool(ended)
