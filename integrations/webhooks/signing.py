"""The Standard Webhooks signature (https://www.standardwebhooks.com/), as pure functions.

A secret is `whsec_` + base64 of random bytes; the HMAC key is those bytes. The signed
content is `{webhook-id}.{webhook-timestamp}.{body}`, and `webhook-signature` is
`v1,<base64 HMAC-SHA256>`, one per secret, space-separated, so during a rotation a receiver
holding either secret verifies. The algorithm is the standard's own (raw HMAC-SHA256 of
those bytes), which is why this is `hmac` and not Django's salted_hmac.
No ORM, no clock: the caller passes the timestamp in.
"""

import base64
import binascii
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the standard allows 24 to 64


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_...` secret."""
    try:
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error as exc:
        raise ValueError("not a whsec_ secret") from exc


def signature(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = b"%s.%d.%s" % (msg_id.encode(), timestamp, body)
    return "v1," + base64.b64encode(hmac.new(secret_key(secret), signed, hashlib.sha256).digest()).decode()


def signature_header(secrets_: list[str], *, msg_id: str, timestamp: int, body: bytes) -> str:
    """`webhook-signature`: one `v1,` signature per secret (the newest first)."""
    if not secrets_:
        raise ValueError("an endpoint always has a secret")
    return " ".join(signature(s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets_)


def signed_headers(secrets_: list[str], *, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(secrets_, msg_id=msg_id, timestamp=timestamp, body=body),
    }
