"""HTTP to Wi-Flight: sessions, timeouts, re-login, errors that keep the reason phrase.

No ORM here: callers pass credentials in and get bytes or results out (`client_for` reads a
connection's fields, it never queries). Every path segment is
percent-encoded from UTF-8 with nothing left safe (`@` becomes `%40`), as Wi-Flight's own
client does. See docs/wiflight.md for the wire assumptions.
"""

from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import requests
from django.conf import settings

DEFAULT_TIMEOUT = (5.0, 20.0)  # connect, read (seconds)
LOGIN_EXPIRES = 300  # a short session: we keep the cookie only while a worker runs


class WiFlightError(Exception):
    """Wi-Flight answered with a status we do not treat as success."""

    def __init__(self, status: int | None, reason: str, body: str = "", retry_after: float | None = None):
        self.status, self.reason, self.body, self.retry_after = status, reason, body[:2000], retry_after
        super().__init__(f"{status} {reason}" if status else reason)

    @property
    def permanent(self) -> bool:
        """400 and 403 mean "not allowed": retrying the same request cannot succeed."""
        return self.status in (400, 403)


class WiFlightUnavailable(WiFlightError):
    """No answer at all: connection refused or dropped, DNS, timeout."""

    def __init__(self, reason: str):
        super().__init__(None, reason)


@dataclass(frozen=True)
class PutResult:
    created: bool
    etag: str | None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class WiFlightClient:
    def __init__(self, base_url: str, username: str, password: str, *, timeout=DEFAULT_TIMEOUT,
                 session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self._username, self._password = username, password
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = "Flightline"
        self._logged_in = False

    def __repr__(self) -> str:  # never show the password
        return f"WiFlightClient({self.base_url!r}, {self._username!r})"

    def url(self, *segments: str) -> str:
        return self.base_url + "/" + "/".join(quote(str(s), safe="") for s in segments)

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise WiFlightUnavailable(f"timed out: {type(exc).__name__}") from exc
        except requests.RequestException as exc:
            raise WiFlightUnavailable(f"no answer: {type(exc).__name__}") from exc

    def login(self) -> None:
        response = self._send("POST", self.url("auth", "login"), data={
            "username": self._username, "password": self._password, "expires": str(LOGIN_EXPIRES)})
        if response.status_code != 200 or "gasn-session" not in self.session.cookies:
            raise _error(response, default="login refused")
        self._logged_in = True

    def logout(self) -> None:
        if self._logged_in:
            try:
                self._send("POST", self.url("auth", "logout"))
            finally:
                self._logged_in = False
                self.session.cookies.clear()

    def request(self, method: str, *segments: str, ok=(200, 201), **kwargs) -> requests.Response:
        """Send with a session, logging in first and once more on 401/403: an expired session
        answers either (docs/wiflight.md). A second refusal is a real one."""
        if not self._logged_in:
            self.login()
        url = self.url(*segments)
        response = self._send(method, url, **kwargs)
        if response.status_code in (401, 403):
            self.login()
            response = self._send(method, url, **kwargs)
        if response.status_code not in ok:
            raise _error(response)
        return response

    # --- reservations ---
    def put_reservation(self, name: str, body: bytes, *, if_match: str | None = None,
                        create_only: bool = False) -> PutResult:
        headers = {"Content-Type": "text/xml; charset=utf-8"}
        if if_match:
            headers["If-Match"] = if_match  # byte for byte as received: ETags are opaque
        elif create_only:
            headers["If-None-Match"] = "*"
        response = self.request("PUT", "a", "reservation", name, data=body, headers=headers)
        return PutResult(created=response.status_code == 201, etag=response.headers.get("ETag"))

    def get_reservation(self, name: str) -> tuple[bytes, str | None]:
        response = self.request("GET", "a", "reservation", name, ok=(200,))
        return response.content, response.headers.get("ETag")

    def delete_reservation(self, name: str) -> bool:
        """True when deleted now, False when it was already gone (404 counts as done)."""
        response = self.request("DELETE", "a", "reservation", name, ok=(200, 204, 404))
        return response.status_code != 404

    # --- flights ---
    def list_flights(self, start: str, end: str) -> bytes:
        return self.request("GET", "a", "flight", "", params={"start": start, "end": end}, ok=(200,)).content

    def get_flight(self, flight_id: str) -> bytes:
        return self.request("GET", "a", "flight", str(flight_id), "", ok=(200,)).content

    def get_track(self, flight_id: str, offset: int = 0, length: int = 600) -> bytes:
        return self.request("GET", "a", "flight", str(flight_id), "track",
                            params={"offset": offset, "length": length}, ok=(200,)).content


def _error(response: requests.Response, default: str = "") -> WiFlightError:
    return WiFlightError(response.status_code, response.reason or default, response.text or "",
                         retry_after=parse_retry_after(response.headers.get("Retry-After")))


# One logged-in session per club per process, keyed by club; dropped when the address or the
# credentials change (a stored password is only ever sent where it was entered for).
_clients: dict[int, tuple[tuple, WiFlightClient]] = {}


def client_for(conn) -> WiFlightClient:
    """One logged-in requests session per club per worker process (`conn`: a WiFlightConnection)."""
    fingerprint = (conn.base_url, conn.username, conn.password_encrypted)
    cached = _clients.get(conn.organization_id)
    if cached is None or cached[0] != fingerprint:
        timeout = (settings.WIFLIGHT_CONNECT_TIMEOUT, settings.WIFLIGHT_READ_TIMEOUT)
        _clients[conn.organization_id] = (fingerprint, WiFlightClient(conn.base_url, conn.username, conn.password,
                                                                       timeout=timeout))
    return _clients[conn.organization_id][1]
