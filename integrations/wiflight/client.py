"""HTTP to Wi-Flight: sessions, timeouts, re-login, errors that keep the reason phrase.

No ORM here: callers pass credentials in and get bytes or results out (`client_for` reads a
connection's fields, it never queries). Every path segment is
percent-encoded from UTF-8 with nothing left safe (`@` becomes `%40`), as Wi-Flight's own
client does. See docs/wiflight.md for the wire assumptions.

Every request goes through the one outbound session (core/outbound.py): addresses checked
after DNS resolution, no redirects. What a club admin sees of a failure (the queue page,
reconciliation runs) must not tell an open port from a closed one, or the connection settings
become a port scanner: whatever fails before Wi-Flight has shown it is Wi-Flight (by handing
us a session) reads "could not reach Wi-Flight"; the low-level reason goes to the log only.
"""

import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlsplit

import requests
from django.conf import settings

from core.outbound import DEFAULT_TIMEOUT, OutboundAddressRefused, outbound_session

log = logging.getLogger(__name__)
LOGIN_EXPIRES = 300  # a short session: we keep the cookie only while a worker runs


class WiFlightError(Exception):
    """Wi-Flight answered with a status we do not treat as success."""

    code: str | None = None
    # True when the whole connection failed, not this one request: no session could be had
    # (login refused or unanswered) or nothing answered at all (refused, reset, timed out).
    # The sync then backs off the club as a whole instead of trying each of its rows.
    whole_connection: bool = False

    def __init__(self, status: int | None, reason: str, body: str = "", retry_after: float | None = None):
        self.status, self.reason, self.body, self.retry_after = status, reason, body[:2000], retry_after
        super().__init__(f"{status} {reason}" if status else reason)

    @property
    def permanent(self) -> bool:
        """400 and 403 mean "not allowed": retrying the same request cannot succeed."""
        return self.status in (400, 403)


class WiFlightUnavailable(WiFlightError):
    """Wi-Flight could not be reached, or what answered was not Wi-Flight at work: no
    connection, a timeout, not HTTP, a 5xx, or at login anything but a session or a 403.
    Retried with backoff. One message for all of them (see the module docstring)."""

    code = "wiflight_unreachable"

    def __init__(self, where: str, retry_after: float | None = None):
        super().__init__(None, f"Could not reach Wi-Flight at {where} ({self.code})", retry_after=retry_after)


class WiFlightAddressRefused(WiFlightError):
    """The address resolves to a network Flightline does not connect to (OUTBOUND_ALLOWED_NETWORKS):
    nothing was sent. The connection settings are wrong, which the settings form already says
    when the address is entered; retrying cannot help until they (or DNS) change, and changing
    the connection re-marks every reservation."""

    code = "outbound_address_refused"

    def __init__(self, where: str):
        super().__init__(None, f"Could not reach Wi-Flight at {where}: Flightline does not connect to private, "
                               f"loopback or link-local addresses ({self.code})")

    @property
    def permanent(self) -> bool:
        return True


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
        self.where = urlsplit(self.base_url).netloc.rpartition("@")[2]  # host[:port], as the admin typed it
        self._username, self._password = username, password
        self.timeout = timeout
        self.session = session or outbound_session(timeout=timeout, user_agent="Flightline")
        self._logged_in = False

    def __repr__(self) -> str:  # never show the password
        return f"WiFlightClient({self.base_url!r}, {self._username!r})"

    def url(self, *segments: str) -> str:
        return self.base_url + "/" + "/".join(quote(str(s), safe="") for s in segments)

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return self.session.request(method, url, timeout=self.timeout, **kwargs)
        except OutboundAddressRefused as exc:
            raise _whole(WiFlightAddressRefused(self.where)) from exc
        except requests.RequestException as exc:
            # Refused, reset, timed out, not HTTP: for the operator's log, never for the page.
            log.info("Wi-Flight at %s: no answer (%s)", self.where, type(exc).__name__)
            raise _whole(WiFlightUnavailable(self.where)) from exc

    def login(self) -> None:
        response = self._send("POST", self.url("auth", "login"), data={
            "username": self._username, "password": self._password, "expires": str(LOGIN_EXPIRES)})
        if response.status_code == 403:  # Wi-Flight's answer to bad credentials
            raise _whole(WiFlightError(403, "Login failed: check the fleet administrator username and password"))
        if response.status_code != 200 or "gasn-session" not in self.session.cookies:
            # Not Wi-Flight, or Wi-Flight failing: we cannot tell yet, and must not show which.
            log.info("Wi-Flight at %s: the login answered %s", self.where, response.status_code)
            raise _whole(WiFlightUnavailable(self.where, retry_after=_retry_after(response)))
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
            raise self._error(response)
        return response

    def _error(self, response: requests.Response) -> WiFlightError:
        if response.status_code >= 500:  # an outage reads the same whether we were logged in or not
            log.info("Wi-Flight at %s answered %s", self.where, response.status_code)
            return WiFlightUnavailable(self.where, retry_after=_retry_after(response))
        return WiFlightError(response.status_code, response.reason or "", response.text or "",
                             retry_after=_retry_after(response))

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

    # --- aircraft ---
    def list_aircraft(self) -> bytes:
        """The aircraft the account may see (`<list><aircraft id><tail/>...</list>`)."""
        return self.request("GET", "a", "aircraft", "", ok=(200,)).content

    # --- flights ---
    def list_flights(self, start: str, end: str) -> bytes:
        return self.request("GET", "a", "flight", "", params={"start": start, "end": end}, ok=(200,)).content

    def get_flight(self, flight_id: str) -> bytes:
        return self.request("GET", "a", "flight", str(flight_id), "", ok=(200,)).content

    def get_track(self, flight_id: str, offset: int = 0, length: int = 600) -> bytes:
        return self.request("GET", "a", "flight", str(flight_id), "track",
                            params={"offset": offset, "length": length}, ok=(200,)).content


def _retry_after(response: requests.Response) -> float | None:
    return parse_retry_after(response.headers.get("Retry-After"))


def _whole(error: WiFlightError) -> WiFlightError:
    error.whole_connection = True
    return error


# One logged-in session per club per process, keyed by club, reused by every task the process
# runs (its connections kept alive); dropped when the address or the credentials change (a
# stored password is only ever sent where it was entered for). Bounded: a worker serving
# 1,000 clubs keeps the most recently used WIFLIGHT_CLIENT_CACHE_SIZE, closing the others.
_clients: OrderedDict[int, tuple[tuple, WiFlightClient]] = OrderedDict()


def client_for(conn) -> WiFlightClient:
    """One logged-in requests session per club per worker process (`conn`: a WiFlightConnection)."""
    fingerprint = (conn.base_url, conn.username, conn.password_encrypted)
    cached = _clients.get(conn.organization_id)
    if cached is not None and cached[0] == fingerprint:
        _clients.move_to_end(conn.organization_id)
        return cached[1]
    if cached is not None:
        _close(cached[1])
    timeout = (settings.WIFLIGHT_CONNECT_TIMEOUT, settings.WIFLIGHT_READ_TIMEOUT)
    client = WiFlightClient(conn.base_url, conn.username, conn.password, timeout=timeout)
    _clients[conn.organization_id] = (fingerprint, client)
    while len(_clients) > max(1, settings.WIFLIGHT_CLIENT_CACHE_SIZE):
        _close(_clients.popitem(last=False)[1][1])
    return client


def _close(client: WiFlightClient) -> None:
    try:
        client.session.close()  # its pooled sockets; the Wi-Flight session expires by itself
    except Exception:  # noqa: BLE001 - closing must never fail a send
        log.debug("closing a Wi-Flight session failed", exc_info=True)
