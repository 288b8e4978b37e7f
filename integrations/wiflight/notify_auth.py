"""Authenticating Wi-Flight's notification requests with a club's agreed secret.

Either HTTP Basic (the club's notify username, the secret as password) or an HMAC-SHA256 of
the exact body bytes (`X-WiFlight-Signature: sha256=<hex>`). During a rotation the previous
secret is accepted too, so the secret changes at Wi-Flight without a window of 401s.
Comparisons are constant-time. No ORM here: the caller passes the connection in.
"""

import base64
import binascii
import hashlib
import hmac
import secrets

from django.utils.crypto import constant_time_compare

SIGNATURE_HEADER = "HTTP_X_WIFLIGHT_SIGNATURE"


def new_notify_secret() -> str:
    return secrets.token_urlsafe(32)


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def body_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notification_authentic(*, username: str, secrets_accepted: list[str], meta: dict, body: bytes) -> bool:
    accepted = [s for s in secrets_accepted if s]
    if not accepted:
        return False  # a club that never generated a secret receives nothing
    credentials = _basic_credentials(meta.get("HTTP_AUTHORIZATION", ""))
    signature = meta.get(SIGNATURE_HEADER, "").strip()
    ok = False
    for secret in accepted:  # no early exit: the time taken does not say which secret matched
        if credentials is not None:
            ok |= constant_time_compare(credentials[0], username) & constant_time_compare(credentials[1], secret)
        if signature:
            ok |= constant_time_compare(signature.lower(), body_signature(secret, body))
    return ok
