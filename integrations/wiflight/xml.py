"""Pure functions that build and parse Wi-Flight's XML. No I/O, no ORM.

All XML Flightline reads goes through `parse_xml`: one hardened lxml parser that resolves
no entities, loads no DTD, touches no network, refuses any DOCTYPE and caps the size.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from lxml import etree

MAX_XML_BYTES = 1024 * 1024


class XMLRejected(ValueError):
    """The document is not something we will read; the message says why, for a 400, and the
    code is stable (docs/errors.md, the Wi-Flight table)."""

    def __init__(self, message: str, code: str = "document_rejected"):
        super().__init__(message)
        self.code = code


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
    huge_tree=False, remove_comments=True, remove_pis=True,
)


def parse_xml(data: bytes) -> etree._Element:
    if not isinstance(data, bytes):
        raise XMLRejected("The body must be bytes.")
    if len(data) > MAX_XML_BYTES:
        raise XMLRejected(f"The document is larger than {MAX_XML_BYTES} bytes.")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise XMLRejected("Documents with a DOCTYPE or entity declarations are refused.")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise XMLRejected(f"Malformed XML: {exc.msg}") from exc
    except ValueError as exc:
        raise XMLRejected(f"Unreadable XML: {exc}") from exc
    if root.getroottree().docinfo.doctype:
        raise XMLRejected("Documents with a DOCTYPE are refused.")
    return root


_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")


def format_time(moment: datetime) -> str:
    """Wi-Flight's compact UTC form, 20131201T120000Z (no dashes, colons or fractions)."""
    if moment.tzinfo is None:
        raise ValueError("Wi-Flight times must be timezone-aware.")
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def parse_time(text: str) -> datetime:
    """Accept the compact form and the extended ISO form in UTC (as Wi-Flight does on input)."""
    value = (text or "").strip()
    match = _COMPACT.match(value)
    try:
        if match:
            return datetime(*map(int, match.groups()), tzinfo=timezone.utc)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise XMLRejected(f"{value!r} is not a UTC time like 20131201T120000Z.") from exc
    if parsed.tzinfo is None:
        raise XMLRejected(f"{value!r} has no time zone; Wi-Flight times are UTC.")
    return parsed.astimezone(timezone.utc)


@dataclass(frozen=True)
class CrewUser:
    name: str
    fullname: str = ""
    email: str = ""
    openids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reservation:
    name: str
    domain: str
    tail: str
    start: datetime
    end: datetime
    notify_profile: str = ""
    crew: tuple[CrewUser, ...] = field(default_factory=tuple)


class XMLUnbuildable(ValueError):
    """Our own data cannot be written as XML (a control character in a member's name): the
    same data fails the same way every time, so the caller must not retry it unchanged."""


def build_reservation_xml(reservation: Reservation) -> bytes:
    try:
        return _reservation_xml(reservation)
    except ValueError as exc:  # lxml: "All strings must be XML compatible: ..."
        raise XMLUnbuildable(f"Cannot write the reservation as XML: {exc}") from exc


def _reservation_xml(reservation: Reservation) -> bytes:
    root = etree.Element("reservation", name=reservation.name, domain=reservation.domain)
    etree.SubElement(root, "aircraft", tail=reservation.tail)
    etree.SubElement(root, "start").text = format_time(reservation.start)
    etree.SubElement(root, "end").text = format_time(reservation.end)
    if reservation.notify_profile:
        etree.SubElement(root, "notify_profile").text = reservation.notify_profile
    crew = etree.SubElement(root, "crew")  # required even when empty
    for member in reservation.crew:
        user = etree.SubElement(crew, "user", name=member.name)
        if member.fullname:
            etree.SubElement(user, "fullname").text = member.fullname
        if member.email:
            etree.SubElement(user, "email").text = member.email
        for openid in member.openids:
            etree.SubElement(user, "openid").text = openid
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _text(element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def parse_reservation_xml(data: bytes) -> Reservation:
    """Read a reservation as Wi-Flight returns it on GET (aircraft tail as a child element) or
    as we send it (tail as an attribute)."""
    root = parse_xml(data)
    if root.tag != "reservation":
        raise XMLRejected(f"Expected <reservation>, got <{root.tag}>.")
    aircraft = root.find("aircraft")
    if aircraft is None:
        raise XMLRejected("The reservation has no <aircraft>.")
    tail = aircraft.get("tail") or _text(aircraft, "tail")
    crew_el = root.find("crew")
    crew = tuple(
        CrewUser(name=u.get("name", ""), fullname=_text(u, "fullname"), email=_text(u, "email"),
                 openids=tuple((o.text or "").strip() for o in u.findall("openid")))
        for u in (crew_el.findall("user") if crew_el is not None else [])
    )
    return Reservation(name=root.get("name", ""), domain=root.get("domain", ""), tail=tail,
                       start=parse_time(_text(root, "start")), end=parse_time(_text(root, "end")),
                       notify_profile=_text(root, "notify_profile"), crew=crew)


# --- flights, notifications, the flight index and tracks (read-only) ------------------------

@dataclass(frozen=True)
class FlightEvent:
    kind: str
    time: datetime | None
    offset: int | None
    airport: str = ""


@dataclass(frozen=True)
class FlightDocument:
    wiflight_id: str
    tail: str
    start: datetime
    length: int
    engine_seconds: int
    airtime_seconds: int
    headline: str
    crew: tuple[str, ...]
    events: tuple[FlightEvent, ...]


@dataclass(frozen=True)
class Notification:
    notification_id: str
    flight: FlightDocument
    reservation_name: str
    reservation_domain: str


@dataclass(frozen=True)
class IndexedFlight:
    wiflight_id: str
    tail: str
    start: datetime | None


MAX_FLIGHT_SECONDS = 7 * 24 * 3600  # a "flight" longer than a week is a broken document

# Wi-Flight's flight ids are numbers; we accept a short plain token (docs/wiflight.md, "Flight
# ids"), because an id travels into file names, URLs and log lines: a CR/LF or a quote in one
# broke the KML download's Content-Disposition.
FLIGHT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def flight_id_valid(value: str) -> bool:
    return FLIGHT_ID.fullmatch(value) is not None  # fullmatch: "$" would let a final "\n" through


def _int(text: str, what: str, *, default: int | None = None) -> int:
    if not text and default is not None:
        return default
    try:
        value = int(float(text))
    except (TypeError, ValueError, OverflowError) as exc:  # "inf" overflows int()
        raise XMLRejected(f"<{what}> is not a number: {text[:40]!r}.") from exc
    if not 0 <= value <= MAX_FLIGHT_SECONDS:
        raise XMLRejected(f"<{what}> is out of range: {value}.")
    return value


def _tail(aircraft) -> str:
    if aircraft is None:
        return ""
    return (aircraft.get("tail") or _text(aircraft, "tail")).strip().upper()


def flight_from_element(element) -> FlightDocument:
    """A `<flight>` as `GET a/flight/<id>/` returns it (docs/wiflight.md)."""
    if element is None or element.tag != "flight":
        raise XMLRejected("The document has no <flight>.")
    wiflight_id = (element.get("id") or "").strip()
    if not flight_id_valid(wiflight_id):
        raise XMLRejected(f"The <flight> id {wiflight_id[:40]!r} is not a plain token (a letter or digit, then "
                          "letters, digits, '.', '_' or '-', 64 at most).", code="flight_id_invalid")
    tail = _tail(element.find("aircraft"))
    if not tail:
        raise XMLRejected("The flight names no aircraft.")
    length = _int(_text(element, "length"), "length")
    crew_el = element.find("crew")
    crew = tuple(sorted({(u.get("name") or "").strip() for u in (crew_el.findall("user") if crew_el is not None else [])}
                        - {""}))
    events_el = element.find("events")
    events = tuple(
        FlightEvent(kind=(e.get("type") or "")[:20], time=parse_time(_text(e, "time")) if _text(e, "time") else None,
                    offset=_int(_text(e, "offset"), "offset") if _text(e, "offset") else None,
                    airport=_text(e, "airport")[:8].upper())
        for e in (events_el.findall("event") if events_el is not None else []))
    return FlightDocument(
        wiflight_id=wiflight_id, tail=tail[:16], start=parse_time(_text(element, "start")), length=length,
        engine_seconds=_int(_text(element, "engine_ontime"), "engine_ontime", default=length),
        airtime_seconds=_int(_text(element, "airtime"), "airtime", default=0),
        headline=_text(element, "headline")[:200], crew=crew, events=events)


def parse_flight_xml(data: bytes) -> FlightDocument:
    return flight_from_element(parse_xml(data))


def parse_notification_xml(data: bytes) -> Notification:
    """`<notification id><flight>...</flight><reservation name>...</reservation></notification>`."""
    root = parse_xml(data)
    if root.tag != "notification":
        raise XMLRejected(f"Expected <notification>, got <{root.tag}>.")
    flight = flight_from_element(root.find("flight"))
    reservation = root.find("reservation")
    name = (reservation.get("name") or "").strip() if reservation is not None else ""
    if not name or len(name) > 200:
        raise XMLRejected("The notification names no reservation.")
    return Notification(notification_id=(root.get("id") or "")[:64], flight=flight, reservation_name=name,
                        reservation_domain=(reservation.get("domain") or "")[:120])


def parse_flight_index_xml(data: bytes) -> list[IndexedFlight]:
    root = parse_xml(data)
    if root.tag != "list":
        raise XMLRejected(f"Expected <list>, got <{root.tag}>.")
    flights = []
    for element in root.findall("flight"):
        start = _text(element, "start")
        flights.append(IndexedFlight(wiflight_id=(element.get("id") or "").strip(),
                                     tail=_tail(element.find("aircraft")), start=parse_time(start) if start else None))
    # An id we would refuse in the flight document is not worth fetching it for.
    return [f for f in flights if flight_id_valid(f.wiflight_id)]


TRACK_FIELDS = ("t", "lat", "lon", "alt", "agl", "gs", "vs", "head", "az", "rpm")


def parse_aircraft_index_xml(data: bytes) -> list[str]:
    """The tails of `GET a/aircraft/`: `<list><aircraft id><tail>...</tail></aircraft>`; a
    `tail` attribute is read too (the reservation form of an aircraft)."""
    root = parse_xml(data)
    if root.tag != "list":
        raise XMLRejected(f"Expected <list>, got <{root.tag}>.")
    tails = []
    for element in root.findall("aircraft"):
        child = element.find("tail")
        tail = (element.get("tail") or (child.text if child is not None else "") or "").strip()
        if tail:
            tails.append(tail)
    return tails


def parse_track_xml(data: bytes) -> list[list[float]]:
    """Points as lists in TRACK_FIELDS order (missing attributes are 0)."""
    root = parse_xml(data)
    if root.tag != "flight":
        raise XMLRejected(f"Expected <flight>, got <{root.tag}>.")
    points = []
    for point in root.findall("point"):
        try:
            values = [float(point.get(name) or 0) for name in TRACK_FIELDS]
        except ValueError as exc:
            raise XMLRejected(f"A track point is not numeric: {exc}") from exc
        if not all(math.isfinite(v) for v in values):  # NaN/inf break SVG, KML and jsonb
            raise XMLRejected("A track point has a value that is not a finite number.")
        points.append(values)
    return points
