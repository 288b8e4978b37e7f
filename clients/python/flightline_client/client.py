"""The Flightline REST API (/api/v1/) over HTTP.

    client = Client("https://flightline.example.org", "fl_...")
    club = client.org("demo")
    for booking in club.bookings.list(start=datetime(2030, 6, 1, tzinfo=UTC)):
        print(booking.id, booking.attributes["aircraft"])

One ``Client`` per credential; ``client.org(slug)`` is one organization, with a collection
per resource. Every object comes back as a ``Resource``; every refusal is raised as an
``ApiError`` subclass (flightline_client.errors). A 429 is waited out (Retry-After) up to
``max_retries`` times; every request has a timeout. Network failures are requests' own
exceptions (``requests.Timeout``, ``requests.ConnectionError``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Union
from urllib.parse import quote, urlsplit

import requests

from flightline_client.errors import error_from_response, retry_after

__version__ = "0.1.0"

API_PATH = "/api/v1"
DEFAULT_TIMEOUT = (5.0, 30.0)  # seconds to connect, seconds to wait for the answer
Id = Union[str, int]
Timeout = Union[float, tuple[float, float]]


@dataclass(frozen=True)
class Resource:
    """One object of the API: {"id", "type", "attributes"}. Ids are strings."""

    id: str
    type: str
    attributes: dict[str, Any]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Resource:
        return cls(id=str(data["id"]), type=str(data["type"]), attributes=dict(data.get("attributes") or {}))


def _encode(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot send {type(value).__name__} as JSON")


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _segment(value: Id) -> str:
    """An id or slug as one path segment: "12/../../x" cannot reach another endpoint."""
    text = str(value)
    if text in ("", ".", ".."):  # URL normalization would make ".." the parent's path
        raise ValueError(f"{text!r} is not an id or slug")
    return quote(text, safe="")


class Client:
    def __init__(self, base_url: str, api_key: str, *, session: requests.Session | None = None,
                 max_retries: int = 3, timeout: Timeout = DEFAULT_TIMEOUT,
                 sleep: Callable[[float], None] = time.sleep):
        """``base_url`` is the portal's address ("https://flightline.example.org"; one ending in
        /api/v1 is accepted too). ``sleep`` waits out a 429 (tests pass their own)."""
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url must be an http(s) address, not {base_url!r}")
        if not api_key:
            raise ValueError("give an API key (fl_...) or an OAuth access token")
        root = base_url.rstrip("/")
        self.api_url = root if root.endswith(API_PATH) else root + API_PATH
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self.session = session or requests.Session()
        # On each request, not on the session: a session passed in may be shared with other code.
        self._headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json",
                         "User-Agent": f"flightline-client/{__version__}"}
        self.max_retries = max_retries
        self.timeout = timeout
        self._sleep = sleep

    def organizations(self) -> list[Resource]:
        """The organizations this credential may use."""
        return list(self.pages("/organizations"))

    def org(self, slug: str) -> Organization:
        return Organization(self, slug)

    # --- HTTP --------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                body: Mapping[str, Any] | None = None) -> Any:
        """One API call; `path` is below /api/v1 ("/organizations") or a URL on our origin.
        Returns the decoded JSON (None for an empty answer); raises an ApiError for 4xx/5xx."""
        url = path if path.startswith(self._origin + "/") else self.api_url + path
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        headers = dict(self._headers)
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body, default=_encode).encode()
        for attempt in range(self.max_retries + 1):
            response = self.session.request(method, url, params=query, data=data, headers=headers,
                                            timeout=self.timeout)
            # A 429 is answered before the endpoint runs (the count comes first), so even a POST
            # is safe to send again.
            if response.status_code != 429 or attempt == self.max_retries:
                break
            wait = retry_after(response)
            self._sleep(1.0 if wait is None else wait)
        if response.status_code >= 400:
            raise error_from_response(response)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def pages(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[Resource]:
        """Every object of a list, page after page (links.next)."""
        body = self.request("GET", path, params=params)
        while True:
            for item in body["data"]:
                yield Resource.from_json(item)
            following = (body.get("links") or {}).get("next")
            if not following:
                return
            # Only the path and query of the link: the key goes to the origin we were given,
            # whatever host name the server believes it has.
            link = urlsplit(following)
            body = self.request("GET", f"{self._origin}{link.path}" + (f"?{link.query}" if link.query else ""))

    def one(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Resource:
        return Resource.from_json(self.request(method, path, body=body)["data"])


def _envelope(kind: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {"data": {"type": kind, "attributes": dict(attributes)}}


class _Collection:
    """/organizations/<slug>/<name>: list, get, and the writes each resource has."""

    name = ""
    kind = ""

    def __init__(self, client: Client, org_path: str):
        self._client = client
        self._path = f"{org_path}/{self.name}"

    def list(self, **filters: Any) -> Iterator[Resource]:
        """Every matching object, fetching the next page as you iterate (page_size up to 200)."""
        return self._client.pages(self._path, filters)

    def get(self, id: Id) -> Resource:
        return self._client.one("GET", self._item(id))

    def _item(self, id: Id, action: str = "") -> str:
        return f"{self._path}/{_segment(id)}" + (f"/{action}" if action else "")

    def _create(self, attributes: Mapping[str, Any]) -> Resource:
        return self._client.one("POST", self._path, _envelope(self.kind, attributes))

    def _update(self, id: Id, changes: Mapping[str, Any]) -> Resource:
        return self._client.one("PATCH", self._item(id), _envelope(self.kind, changes))

    def _action(self, id: Id, action: str, attributes: Mapping[str, Any] | None = None) -> Resource:
        body = None if attributes is None else _envelope(self.kind, attributes)
        return self._client.one("POST", self._item(id, action), body)


class Bookings(_Collection):
    name, kind = "bookings", "booking"

    def create(self, *, aircraft: str, start: datetime | str, end: datetime | str,
               crew: list[Mapping[str, Any]], **attributes: Any) -> Resource:
        """``crew`` is [{"member": "<member id>", "role": "pic"}, ...]; times carry their UTC
        offset; optional: purpose, notes."""
        return self._create({"aircraft": aircraft, "start": start, "end": end, "crew": crew, **attributes})

    def update(self, id: Id, **changes: Any) -> Resource:
        return self._update(id, changes)

    def cancel(self, id: Id, reason: str = "") -> Resource:
        return self._action(id, "cancel", {"reason": reason})

    def check_out(self, id: Id, *, hobbs_out: Decimal | str, tach_out: Decimal | str, **attributes: Any) -> Resource:
        """Optional: correction_reason (a reading below the last check-in's), override_reason
        (a blocking booking rule, dispatchers and admins)."""
        return self._action(id, "check-out", {"hobbs_out": hobbs_out, "tach_out": tach_out, **attributes})

    def check_in(self, id: Id, *, hobbs_in: Decimal | str, tach_in: Decimal | str, **attributes: Any) -> Resource:
        """Optional: squawks, squawk_severity (minor, deferred, grounding), fuel_cost, ground_hours."""
        return self._action(id, "check-in", {"hobbs_in": hobbs_in, "tach_in": tach_in, **attributes})


class FlightLogs(_Collection):
    name, kind = "flight-logs", "flight_log"

    def create(self, *, date: date | str, aircraft: str, duration: float | Decimal | str,
               **attributes: Any) -> Resource:
        """``duration`` is block time in hours (1.5 = 1 h 30); optional: air_duration, member,
        departure, arrival, landings, approaches, pilot_in_command, role, remarks."""
        return self._create({"date": date, "aircraft": aircraft, "duration": duration, **attributes})

    def update(self, id: Id, **changes: Any) -> Resource:
        """remarks, landings, approaches."""
        return self._update(id, changes)

    def delete(self, id: Id) -> None:
        self._client.request("DELETE", self._item(id))


class Members(_Collection):
    name, kind = "members", "member"

    def invite(self, *, full_name: str, email: str, roles: list[str], **attributes: Any) -> Resource:
        """Adds the member and emails them a link to set their password; optional:
        wiflight_username, instructor (a member id)."""
        return self._create({"full_name": full_name, "email": email, "roles": roles, **attributes})

    def update(self, id: Id, **changes: Any) -> Resource:
        return self._update(id, changes)

    def deactivate(self, id: Id) -> Resource:
        return self._action(id, "deactivate")

    def reactivate(self, id: Id) -> Resource:
        return self._action(id, "reactivate")

    def balance(self, id: Id) -> Resource:
        """owed, invoiced, credited, paid, pending, credit_limit, available, over_limit."""
        return self._client.one("GET", self._item(id, "balance"))


class Fleet(_Collection):
    name, kind = "aircraft", "aircraft"

    def create(self, *, registration: str, aircraft_type: str, **attributes: Any) -> Resource:
        """Optional: kind, home_base, hourly_rate, has_wiflight_recorder."""
        return self._create({"registration": registration, "aircraft_type": aircraft_type, **attributes})

    def update(self, id: Id, **changes: Any) -> Resource:
        return self._update(id, changes)

    def set_status(self, id: Id, status: str, reason: str = "") -> Resource:
        """"grounded" (with the reason) or "available"."""
        return self._action(id, "status", {"status": status, "reason": reason})

    def maintenance_items(self, id: Id) -> list[Resource]:
        """The aircraft's inspections and items due, each with its ``standing``, worst first."""
        return list(self._client.pages(self._item(id, "maintenance-items")))

    def squawks(self, id: Id, **filters: Any) -> Iterator[Resource]:
        """The aircraft's squawks; filters: status (open, cleared), severity."""
        return self._client.pages(self._item(id, "squawks"), filters)

    def report_squawk(self, id: Id, description: str, severity: str = "minor") -> Resource:
        """``severity``: minor, deferred (listed at every check-out) or grounding (grounds it)."""
        return self._client.one("POST", self._item(id, "squawks"),
                                _envelope("squawk", {"description": description, "severity": severity}))


class Squawks(_Collection):
    """The club's squawks; ``list(status=..., severity=...)``."""

    name, kind = "squawks", "squawk"

    def clear(self, id: Id, note: str) -> Resource:
        """Maintenance and admins: what was done; the aircraft returns to service when nothing else holds it."""
        return self._action(id, "clear", {"note": note})


class Events(_Collection):
    """Club events (the Calendar group); ``list(start=..., end=..., kind=..., include_cancelled=True)``."""

    name, kind = "events", "event"

    def create(self, *, title: str, start: datetime | str, end: datetime | str, **attributes: Any) -> Resource:
        """Optional: kind (ground_school, meeting, fly_in, other), description, location, instructor."""
        return self._create({"title": title, "start": start, "end": end, **attributes})

    def update(self, id: Id, **changes: Any) -> Resource:
        return self._update(id, changes)

    def cancel(self, id: Id) -> Resource:
        """DELETE: the event is cancelled (still readable with include_cancelled)."""
        return self._client.one("DELETE", self._item(id))


class InstructorAvailability(_Collection):
    """Read only; ``list(start=..., end=..., instructor=...)``."""

    name, kind = "instructor-availability", "instructor_availability"


class Flights(_Collection):
    name, kind = "flights", "flight"


class Invoices(_Collection):
    """Money is {"amount": "195.00", "currency": "CAD"}; send amounts as strings or Decimal."""

    name, kind = "invoices", "invoice"

    def issue(self, id: Id) -> Resource:
        return self._action(id, "issue")

    def void(self, id: Id, reason: str) -> Resource:
        return self._action(id, "void", {"reason": reason})

    def credit(self, id: Id, reason: str, amount: Decimal | str | None = None) -> Resource:
        """In full without ``amount``; returns the credit note."""
        return self._action(id, "credit", {"reason": reason, **({"amount": amount} if amount is not None else {})})


class Payments(_Collection):
    name, kind = "payments", "payment"

    def create(self, *, member: Id, amount: Decimal | str, method: str, received_on: date | str,
               **attributes: Any) -> Resource:
        """Optional: reference, note, invoice (the invoice it pays first)."""
        return self._create({"member": member, "amount": amount, "method": method, "received_on": received_on,
                             **attributes})

    def void(self, id: Id, reason: str) -> Resource:
        return self._action(id, "void", {"reason": reason})


class Expenses(_Collection):
    name, kind = "expenses", "expense"

    def create(self, *, spent_on: date | str, description: str, amount: Decimal | str, **attributes: Any) -> Resource:
        """Optional: receipt_reference, member (the treasurer, for another member)."""
        return self._create({"spent_on": spent_on, "description": description, "amount": amount, **attributes})

    def approve(self, id: Id, note: str = "") -> Resource:
        return self._action(id, "approve", {"note": note})

    def reject(self, id: Id, note: str = "") -> Resource:
        return self._action(id, "reject", {"note": note})


class Organization:
    """One organization: its own data and its collections."""

    def __init__(self, client: Client, slug: str):
        self.slug = slug
        self._client = client
        self._path = f"/organizations/{_segment(slug)}"
        self.bookings = Bookings(client, self._path)
        self.flight_logs = FlightLogs(client, self._path)
        self.members = Members(client, self._path)
        self.aircraft = Fleet(client, self._path)
        self.flights = Flights(client, self._path)
        self.invoices = Invoices(client, self._path)
        self.payments = Payments(client, self._path)
        self.expenses = Expenses(client, self._path)
        self.squawks = Squawks(client, self._path)
        self.events = Events(client, self._path)
        self.instructor_availability = InstructorAvailability(client, self._path)

    def get(self) -> Resource:
        return self._client.one("GET", self._path)

    def update(self, **changes: Any) -> Resource:
        return self._client.one("PATCH", self._path, _envelope("organization", changes))

