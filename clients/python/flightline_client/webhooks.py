"""Verify a webhook Flightline sent: the Standard Webhooks signature
(https://www.standardwebhooks.com/), with hmac and hashlib only.

    @app.post("/flightline-hook")
    def hook(request):
        event = verify_webhook(request.body, request.headers, secret="whsec_...")
        ...

The signed content is ``{webhook-id}.{webhook-timestamp}.{body}``; ``webhook-signature`` is a
space-separated list of ``v1,<base64 HMAC-SHA256>`` (two while the endpoint's secret is being
rotated: either matches). The HMAC key is the base64 after ``whsec_``. A timestamp more than
five minutes from now is refused, so a captured delivery cannot be replayed later. Keep
``webhook-id`` to drop the duplicates a retry can bring.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60


class WebhookVerificationError(Exception):
    """The delivery is not one signed with this secret, or not a recent one."""


def _key(secret: str) -> bytes:
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error:
        raise ValueError("the secret is not whsec_ followed by base64") from None
    if not key:
        raise ValueError("the secret is empty")
    return key


def _signatures(header: str) -> list[bytes]:
    found = []
    for item in header.split():
        version, _, encoded = item.partition(",")
        if version != "v1":  # other schemes (v1a: asymmetric) are not ours to check
            continue
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except binascii.Error:
            continue
    return found


def verify_webhook(body: bytes | str, headers: Mapping[str, str], secret: str, *,
                   tolerance: float = TOLERANCE_SECONDS, now: float | None = None) -> Any:
    """The delivery's JSON document, once its signature and timestamp check out; raises
    WebhookVerificationError otherwise. ``body`` is the raw request body, unparsed."""
    raw = body.encode() if isinstance(body, str) else bytes(body)
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id, stamp, signature = (lowered.get(f"webhook-{h}", "") for h in ("id", "timestamp", "signature"))
    if not (msg_id and stamp and signature):
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")
    if not stamp.isascii() or not stamp.isdigit():
        raise WebhookVerificationError("webhook-timestamp is not a whole number of seconds")
    age = (time.time() if now is None else now) - int(stamp)
    if age > tolerance:
        raise WebhookVerificationError("the delivery is too old (webhook-timestamp)")
    if age < -tolerance:
        raise WebhookVerificationError("the delivery is dated in the future (webhook-timestamp)")
    expected = hmac.new(_key(secret), b"%s.%s.%s" % (msg_id.encode(), stamp.encode(), raw), hashlib.sha256).digest()
    if not any(hmac.compare_digest(expected, given) for given in _signatures(signature)):
        raise WebhookVerificationError("no signature matches this secret")
    return json.loads(raw)
