"""POST /wiflight/notify/<club slug>/: Wi-Flight's flight notifications (docs/wiflight.md,
"Receiving notifications"). Thin: size cap, authenticate, parse, store, acknowledge. The
flight is ingested by a Celery task after the commit."""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from integrations.wiflight.flight_services import notification_store
from integrations.wiflight.notify_auth import notification_authentic
from integrations.wiflight.selectors import notify_credentials
from integrations.wiflight.xml import XMLRejected, parse_notification_xml

log = logging.getLogger(__name__)


def _answer(status: int, text: str, **headers) -> HttpResponse:
    response = HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    for name, value in headers.items():
        response[name] = value
    return response


def _read_capped(request, cap: int) -> bytes | None:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > cap:
        return None  # refused before reading a byte
    body = request.read(cap + 1)
    return None if len(body) > cap else body


@require_POST
def notify(request, slug: str):
    credentials = notify_credentials(slug)
    body = _read_capped(request, settings.WIFLIGHT_NOTIFY_MAX_BYTES)
    if body is None:
        return _answer(413, "Request body too large.")
    # Authenticate before parsing: an unauthenticated body never reaches the XML parser.
    # An unknown club answers exactly like a wrong secret (401), so slugs cannot be probed.
    if credentials is None or not notification_authentic(
            username=credentials[1], meta=request.META, body=body, secrets_accepted=credentials[2]):
        return _answer(401, "Authentication required.", **{"WWW-Authenticate": 'Basic realm="Flightline notifications"'})
    try:
        notification = parse_notification_xml(body)
    except XMLRejected as exc:
        # 400, nothing stored. Wi-Flight retries a non-2xx forever (backoff capped at 1 h), so
        # a poisoned notification costs about one cheap request an hour until someone looks;
        # reconciliation fetches the flight itself meanwhile (docs/wiflight.md).
        log.warning("refused a Wi-Flight notification for %s (id %s): %s", slug,
                    request.META.get("HTTP_X_WIFLIGHT_NOTIFICATION_ID", "?"), exc)
        return _answer(400, f"Bad notification: {exc} ({exc.code})")
    created = notification_store(organization_id=credentials[0], body=body, notification=notification)
    return _answer(200, "Stored." if created else "Already received.")
