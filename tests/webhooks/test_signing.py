"""Our Standard Webhooks signatures, checked by the standardwebhooks package (not our code)."""

import base64
import time

import pytest
from hypothesis import given, strategies as st
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from integrations.webhooks import signing


def _headers(secrets_, body: bytes, msg_id="msg_1", timestamp=None):
    return signing.signed_headers(secrets_, msg_id=msg_id, timestamp=timestamp or int(time.time()), body=body)


def test_a_new_secret_is_whsec_and_32_random_bytes():
    secret = signing.new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    assert secret != signing.new_secret()


@given(body=st.text().map(str.encode))
def test_standardwebhooks_verifies_what_we_sign(body):
    secret = signing.new_secret()
    Webhook(secret).verify(body, _headers([secret], body), json_parse=False)


def test_a_rotation_signs_with_both_and_either_verifies():
    new, old = signing.new_secret(), signing.new_secret()
    body = b'{"type":"booking.created"}'
    headers = _headers([new, old], body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(body, headers)
    Webhook(old).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)


def test_the_signature_covers_id_timestamp_and_body():
    secret = signing.new_secret()
    body = b'{"a":1}'
    headers = _headers([secret], body, msg_id="msg_a")
    for tampered in ({**headers, "webhook-id": "msg_b"}, {**headers, "webhook-timestamp": str(int(time.time()) - 1)}):
        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify(body, tampered)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(b'{"a":2}', headers)


def test_an_old_timestamp_is_refused_by_receivers():
    secret = signing.new_secret()
    body = b"{}"
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, _headers([secret], body, timestamp=int(time.time()) - 3600))
