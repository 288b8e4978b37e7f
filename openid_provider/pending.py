"""The checkid request a member is in the middle of (signing in, or on the consent page).

Only `message.toPostArgs()` goes into the session: the request object does not survive the
JSON session serializer. The token ties a consent form to the request it was shown for.
"""

import secrets

from django.utils.crypto import constant_time_compare

SESSION_KEY = "openid_provider.pending"


def stash(request, oid_request) -> str:
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {"token": token, "args": oid_request.message.toPostArgs()}
    return token


def load(request, token: str | None = None) -> dict | None:
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    if token is not None and not constant_time_compare(token, data["token"]):
        return None
    return data["args"]


def clear(request) -> None:
    request.session.pop(SESSION_KEY, None)
