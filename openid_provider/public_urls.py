"""Every URL this provider publishes, built from PUBLIC_BASE_URL and never from the Host header.

python3-openid compares `openid.op_endpoint` with the discovered `openid2.provider` URL byte for
byte, so the endpoint must come out of one function and be the same in every response.
"""

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def endpoint_url() -> str:
    return absolute(reverse("openid_provider:endpoint"))


def identity_url(slug: str) -> str:
    return absolute(reverse("openid_provider:identity", args=[slug]))


def identity_xrds_url(slug: str) -> str:
    return absolute(reverse("openid_provider:identity_xrds", args=[slug]))


def server_xrds_url() -> str:
    return absolute(reverse("openid_provider:server_xrds"))
