"""The API's refusals as exceptions: one class per kind of answer, each carrying the error
envelope {"error": {"code", "message", "details": {"field", "issue", "errors": [...]}}}.

Catch the class for the kind (``except Conflict``) and branch on ``.code`` for the rule
(``booking_conflict``, ``validation_error``, ...): codes are stable, messages are for people.
"""

from __future__ import annotations

import time
from typing import Any

import requests


class ApiError(Exception):
    """An answer of 400 or more. ``status`` is the HTTP status, ``code`` the API's code,
    ``field``/``issue`` the first field at fault (``None`` when the error is not about one),
    ``details`` the envelope's details as sent."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] = details or {}

    @property
    def field(self) -> str | None:
        return self.details.get("field")

    @property
    def issue(self) -> str | None:
        return self.details.get("issue")

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Every field error ({"field", "issue"}); a refusal about one field is a list of one."""
        listed = self.details.get("errors")
        if isinstance(listed, list):
            return listed
        return [{"field": self.field, "issue": self.issue or self.message}]


class ValidationFailed(ApiError):
    """400 (the input does not parse) or 422 (a rule refuses it)."""


class Unauthorized(ApiError):
    """401: no credential, or an unknown, expired or revoked one."""


class Forbidden(ApiError):
    """403: the credential may not do this (a read key writing, a role without the right)."""


class NotFound(ApiError):
    """404: no such object, or one of another organization."""


class Conflict(ApiError):
    """409: the request collides with the state of the club (an overlapping booking, ...)."""


class RateLimited(ApiError):
    """429 after the client's retries: ``retry_after`` seconds until the hourly window ends."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None,
                 retry_after: float | None = None):
        super().__init__(status, code, message, details)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the server (or a proxy in front of it) failed."""


_BY_STATUS: dict[int, type[ApiError]] = {400: ValidationFailed, 401: Unauthorized, 403: Forbidden, 404: NotFound,
                                         409: Conflict, 422: ValidationFailed, 429: RateLimited}


def retry_after(response: requests.Response) -> float | None:
    """Seconds to wait before retrying a 429: Retry-After, else until X-RateLimit-Reset."""
    for header, since in (("Retry-After", 0.0), ("X-RateLimit-Reset", time.time())):
        try:
            return max(float(response.headers[header]) - since, 0.0)
        except (KeyError, ValueError):
            continue
    return None


def error_from_response(response: requests.Response) -> ApiError:
    status = response.status_code
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error["message"])
        details = error.get("details") if isinstance(error.get("details"), dict) else {}
    except (ValueError, KeyError, TypeError):
        # Not the API's envelope: a proxy's or load balancer's page.
        code, message, details = f"http_{status}", response.reason or f"HTTP {status}", {}
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    if cls is RateLimited:
        return RateLimited(status, code, message, details, retry_after=retry_after(response))
    return cls(status, code, message, details)
