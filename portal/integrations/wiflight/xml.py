"""Pure functions that build and parse Wi-Flight's XML. No I/O, no ORM.

All XML Flightline reads goes through `parse_xml`: one hardened lxml parser that resolves
no entities, loads no DTD, touches no network, refuses any DOCTYPE and caps the size.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from lxml import etree

MAX_XML_BYTES = 1024 * 1024


class XMLRejected(ValueError):
    """The document is not something we will read; the message says why, for a 400."""


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


def build_reservation_xml(reservation: Reservation) -> bytes:
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
