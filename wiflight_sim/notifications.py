"""Notification outbox: queue inside the match's transaction, deliver outside any transaction.

Delivery is at-least-once: a row is leased with a conditional UPDATE (so two delivery loops
never send it at the same moment), posted, then marked delivered on a 2xx or rescheduled with
exponential backoff. A crash between the POST and the mark means one duplicate: receivers
deduplicate on X-WiFlight-Notification-Id (docs/wiflight.md, "Notifications").
"""

import hashlib
import hmac
import logging
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wiflight_sim import selectors
from wiflight_sim.models import FaultState, Flight, Notification, NotifyProfile, Reservation
from wiflight_sim.xml import notification_element, to_bytes

log = logging.getLogger(__name__)
_LEASE = timedelta(seconds=60)


def notification_queue(*, flight: Flight, reservation: Reservation) -> Notification | None:
    if not reservation.notify_profile:
        return None
    profile = NotifyProfile.objects.filter(name=reservation.notify_profile, enabled=True).first()
    if profile is None:
        log.warning("reservation %s names unknown or disabled notify profile %r", reservation.name, reservation.notify_profile)
        return None
    notification, created = Notification.objects.get_or_create(
        flight=flight, reservation=reservation, defaults={"profile": profile, "body": b""}
    )
    if created:
        # The body carries its own id, so it is written once the row has one.
        crew = selectors.flight_crew_names(flight)
        notification.body = to_bytes(notification_element(notification.pk, flight, crew, reservation))
        notification.save(update_fields=["body"])
    return notification


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def request_headers(notification: Notification) -> dict[str, str]:
    profile = notification.profile
    headers = {
        "Content-Type": "application/xml; charset=utf-8",
        "User-Agent": "wiflight-sim",
        "X-WiFlight-Notification-Id": str(notification.pk),
        "X-WiFlight-Attempt": str(notification.attempts + 1),
    }
    if profile.hmac_secret:
        headers[profile.signature_header] = signature(profile.hmac_secret, bytes(notification.body))
    return headers


def backoff(attempts: int) -> timedelta:
    """Delay after the `attempts`-th failure: base, 2*base, 4*base, ... capped."""
    seconds = settings.SIM_NOTIFY_BACKOFF_SECONDS * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, settings.SIM_NOTIFY_BACKOFF_MAX_SECONDS))


def _lease(notification_id: int, seen_next: datetime, now: datetime) -> bool:
    return (
        Notification.objects.filter(pk=notification_id, status=Notification.PENDING, next_attempt_at=seen_next).update(
            next_attempt_at=now + _LEASE
        )
        == 1
    )


def _post(notification: Notification) -> tuple[int | None, str]:
    profile = notification.profile
    auth = (profile.basic_user, profile.basic_password) if profile.basic_user else None
    try:
        response = requests.post(
            profile.url,
            data=bytes(notification.body),
            headers=request_headers(notification),
            auth=auth,
            timeout=settings.SIM_NOTIFY_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    return response.status_code, "" if 200 <= response.status_code < 300 else response.text[:200]


def notification_attempt(notification_id: int, *, now: datetime | None = None) -> bool:
    """Try one due notification; True when it was delivered by this call."""
    now = now or timezone.now()
    notification = Notification.objects.select_related("profile").filter(pk=notification_id).first()
    if notification is None or notification.status != Notification.PENDING or notification.next_attempt_at > now:
        return False
    if not _lease(notification.pk, notification.next_attempt_at, now):
        return False  # another loop took it
    status, error = _post(notification)  # network I/O: deliberately outside any transaction
    attempts = notification.attempts + 1
    with transaction.atomic():
        if status is not None and 200 <= status < 300:
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.DELIVERED, attempts=attempts, last_status=status, last_error="", delivered_at=timezone.now()
            )
            return True
        Notification.objects.filter(pk=notification.pk).update(
            attempts=attempts, last_status=status, last_error=error or f"HTTP {status}", next_attempt_at=now + backoff(attempts)
        )
    log.info("notification %s attempt %s failed: %s", notification.pk, attempts, error or status)
    return False


def deliver_due(*, now: datetime | None = None, limit: int = 50) -> int:
    """One delivery pass over due notifications; returns how many were delivered."""
    if FaultState.current().notifications_paused:
        return 0
    now = now or timezone.now()
    due = Notification.objects.filter(status=Notification.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
    return sum(notification_attempt(pk, now=now) for pk in list(due.values_list("pk", flat=True)[:limit]))
