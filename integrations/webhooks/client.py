"""POSTing one signed message: the HTTP of the webhooks, no ORM.

Only through core/outbound.py's session (addresses checked after DNS resolution, private
networks refused before any connection, redirects never followed), with timeouts. What comes
back is kept short: the status, how long it took, at most an excerpt of the body, and an
error in our own words, never the exception's text (it carries the URL, and a receiver's URL
often holds a token in its query).
"""

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings

from core.outbound import OutboundAddressRefused, outbound_session

EXCERPT_BYTES = 1024  # read at most this much of a response; 200 characters are kept
USER_AGENT = "Flightline-Webhooks/1"
_sessions: dict[str, requests.Session] = {}


@dataclass(frozen=True)
class Attempt:
    status: int | None
    duration_ms: int
    error: str = ""
    excerpt: str = ""
    retry_after: float | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def gone(self) -> bool:
        return self.status == 410


def _session_for(url: str) -> requests.Session:
    """One session per receiver (scheme, host, port): kept connections, one TLS handshake."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    if origin not in _sessions:
        if len(_sessions) >= 64:  # a worker that met many receivers: start over
            for session in _sessions.values():
                session.close()
            _sessions.clear()
        _sessions[origin] = outbound_session(
            timeout=(settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_READ_TIMEOUT), user_agent=USER_AGENT)
    return _sessions[origin]


def _excerpt(response: requests.Response) -> str:
    try:
        raw = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
    except Exception:  # noqa: BLE001 - a body that breaks off is no reason to doubt the status
        raw = b""
    text = raw.decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()[:200]


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


def _failure(exc: Exception) -> str:
    if isinstance(exc, OutboundAddressRefused):
        return "Refused: the address is private, loopback or link-local (outbound_address_refused); nothing was sent."
    if isinstance(exc, requests.ConnectTimeout):
        return "Timed out connecting to the receiver."
    if isinstance(exc, requests.ReadTimeout):
        return "Timed out waiting for the receiver's answer."
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS failed: the receiver's certificate could not be verified."
    if isinstance(exc, requests.ConnectionError):
        return "Could not connect to the receiver."
    return f"The request failed ({type(exc).__name__})."


def post_signed(url: str, *, body: bytes, headers: dict[str, str]) -> Attempt:
    started = time.monotonic()
    try:
        response = _session_for(url).post(url, data=body, headers=headers, stream=True, allow_redirects=False)
    except requests.RequestException as exc:
        return Attempt(status=None, duration_ms=round((time.monotonic() - started) * 1000), error=_failure(exc))
    try:
        excerpt = _excerpt(response)
    finally:
        response.close()
    duration = round((time.monotonic() - started) * 1000)
    status = response.status_code
    error = "" if 200 <= status < 300 else f"The receiver answered {status}" + (
        " (redirects are not followed)." if 300 <= status < 400 else ".")
    return Attempt(status=status, duration_ms=duration, error=error, excerpt=excerpt,
                   retry_after=_retry_after(response))
