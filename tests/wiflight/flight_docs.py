"""Build notification and flight documents the way the simulator does (docs/wiflight.md)."""

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

from lxml import etree

from integrations.wiflight.xml import format_time


def flight_element(*, flight_id, tail, start: datetime, length=3600, airtime=3000, crew=(), departure="LFPN",
                   arrival="LFPN", parent=None):
    el = etree.Element("flight", id=str(flight_id)) if parent is None else etree.SubElement(parent, "flight", id=str(flight_id))
    for tag, text in (("start", format_time(start)), ("length", str(length)), ("engine_ontime", str(length)),
                      ("airtime", str(airtime)), ("headline", f"{departure} to {arrival}" if departure != arrival else f"local at {departure}")):
        etree.SubElement(el, tag).text = text
    aircraft = etree.SubElement(el, "aircraft", id="1")
    etree.SubElement(aircraft, "tail").text = tail
    crew_el = etree.SubElement(el, "crew")
    for name in crew:
        etree.SubElement(crew_el, "user", name=name)
    events = etree.SubElement(el, "events")
    for kind, offset, airport in (("engine_start", 0, ""), ("takeoff", 300, departure),
                                  ("landing", 300 + airtime, arrival), ("engine_stop", length, "")):
        ev = etree.SubElement(events, "event", type=kind)
        etree.SubElement(ev, "time").text = format_time(start + timedelta(seconds=offset))
        etree.SubElement(ev, "offset").text = str(offset)
        if airport:
            etree.SubElement(ev, "airport").text = airport
    return el


def notification_body(*, reservation_name, notification_id=1, **flight) -> bytes:
    root = etree.Element("notification", id=str(notification_id))
    flight_element(parent=root, **flight)
    reservation = etree.SubElement(root, "reservation", name=reservation_name, domain="flightline-test")
    aircraft = etree.SubElement(reservation, "aircraft", id="1")
    etree.SubElement(aircraft, "tail").text = flight["tail"]
    etree.SubElement(reservation, "start").text = format_time(flight["start"])
    etree.SubElement(reservation, "end").text = format_time(flight["start"] + timedelta(hours=2))
    etree.SubElement(reservation, "crew")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
