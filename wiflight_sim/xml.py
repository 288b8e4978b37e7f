"""The one hardened XML parser and the builders of every document the simulator sends.

Pure functions: no ORM queries here beyond reading attributes of the objects passed in.
"""

from lxml import etree

from wiflight_sim.timefmt import format_time


class XMLRejected(ValueError):
    """The body is not acceptable XML. `status` is 400, or 413 for an oversized body."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# One parser for every body: no entity expansion, no network, no DTD loading, libxml2's
# default limits on depth and size (huge_tree=False is what stops billion-laughs and
# 10,000-level nesting even before our own DOCTYPE refusal).
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False, remove_pis=True
)


def parse_document(body: bytes, *, max_bytes: int) -> etree._Element:
    if len(body) > max_bytes:
        raise XMLRejected(f"Body larger than {max_bytes} bytes", status=413)
    if not body.strip():
        raise XMLRejected("Empty body")
    if b"<!doctype" in body.lower() or b"<!entity" in body.lower():
        raise XMLRejected("DOCTYPE not allowed")
    try:
        # lxml's parser objects are not thread-safe across threads; a copy per call is cheap.
        root = etree.fromstring(body, parser=_PARSER.copy())
    except etree.XMLSyntaxError as exc:
        raise XMLRejected(f"Malformed XML: {exc}") from exc
    except ValueError as exc:  # e.g. an unsupported encoding declaration
        raise XMLRejected(f"Malformed XML: {exc}") from exc
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise XMLRejected("DOCTYPE not allowed")
    return root


def to_bytes(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, tag: str, text=None, **attrs) -> etree._Element:
    child = etree.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()})
    if text is not None:
        child.text = str(text)
    return child


def aircraft_element(aircraft, parent=None) -> etree._Element:
    element = etree.Element("aircraft", id=str(aircraft.pk)) if parent is None else _sub(parent, "aircraft", id=aircraft.pk)
    _sub(element, "tail", aircraft.tail)
    _sub(element, "model", aircraft.model)
    return element


def aircraft_list(aircraft_rows) -> etree._Element:
    root = etree.Element("list")
    for aircraft in aircraft_rows:
        aircraft_element(aircraft, root)
    return root


def reservation_element(reservation, parent=None) -> etree._Element:
    attrs = {"name": reservation.name, "domain": reservation.domain}
    element = etree.Element("reservation", attrs) if parent is None else _sub(parent, "reservation", **attrs)
    aircraft_element(reservation.aircraft, element)
    _sub(element, "start", format_time(reservation.start))
    _sub(element, "end", format_time(reservation.end))
    if reservation.notify_profile:
        _sub(element, "notify_profile", reservation.notify_profile)
    crew = _sub(element, "crew")
    for user in sorted(reservation.crew.all(), key=lambda u: u.username):
        _sub(crew, "user", name=user.username)
    return element


def _round(value: float) -> str:
    return f"{value:.1f}"


def flight_element(flight, crew_names, parent=None) -> etree._Element:
    element = etree.Element("flight", id=str(flight.pk)) if parent is None else _sub(parent, "flight", id=flight.pk)
    _sub(element, "start", format_time(flight.start))
    _sub(element, "length", flight.length)
    _sub(element, "engine_ontime", flight.engine_ontime)
    _sub(element, "airtime", flight.airtime)
    _sub(element, "max_altitude", _round(flight.max_altitude), unit="m")
    _sub(element, "min_altitude", _round(flight.min_altitude), unit="m")
    _sub(element, "max_agl", _round(flight.max_agl), unit="m")
    _sub(element, "max_groundspeed", _round(flight.max_groundspeed), unit="m/s")
    _sub(element, "max_climb", _round(flight.max_climb), unit="m/s")
    _sub(element, "max_descent", _round(flight.max_descent), unit="m/s")
    _sub(element, "headline", flight.headline)
    aircraft_element(flight.aircraft, element)
    crew = _sub(element, "crew")
    for name in sorted(crew_names):
        _sub(crew, "user", name=name)
    events = _sub(element, "events")
    for event in flight_events(flight):
        event_element = _sub(events, "event", type=event["type"])
        _sub(event_element, "time", format_time(event["time"]))
        _sub(event_element, "offset", event["offset"])
        if event.get("airport"):
            _sub(event_element, "airport", event["airport"])
    return element


def flight_events(flight) -> list[dict]:
    from datetime import timedelta

    events = [{"type": "engine_start", "offset": 0, "time": flight.start}]
    if flight.takeoff_offset is not None:
        events.append({"type": "takeoff", "offset": flight.takeoff_offset, "airport": flight.departure})
    if flight.landing_offset is not None:
        events.append({"type": "landing", "offset": flight.landing_offset, "airport": flight.arrival})
    events.append({"type": "engine_stop", "offset": flight.length})
    for event in events:
        event["time"] = flight.start + timedelta(seconds=event["offset"])
    return events


def flight_list(flights) -> etree._Element:
    root = etree.Element("list")
    for flight in flights:
        element = _sub(root, "flight", id=flight.pk)
        _sub(element, "start", format_time(flight.start))
        _sub(element, "length", flight.length)
        aircraft_element(flight.aircraft, element)
        _sub(element, "headline", flight.headline)
    return root


TRACK_FIELDS = ("t", "lat", "lon", "alt", "agl", "gs", "vs", "head", "az", "rpm")
_TRACK_FORMATS = ("{:.0f}", "{:.6f}", "{:.6f}", "{:.1f}", "{:.1f}", "{:.1f}", "{:.2f}", "{:.4f}", "{:.3f}", "{:.0f}")


def track_element(flight, points, offset: int) -> etree._Element:
    root = etree.Element("flight", id=str(flight.pk), start=format_time(flight.start), length=str(flight.length))
    root.set("offset", str(offset))
    for point in points:
        attrs = {name: fmt.format(value) for name, fmt, value in zip(TRACK_FIELDS, _TRACK_FORMATS, point)}
        etree.SubElement(root, "point", attrs)
    return root


def notification_element(notification_id: int, flight, crew_names, reservation) -> etree._Element:
    root = etree.Element("notification", id=str(notification_id))
    flight_element(flight, crew_names, root)
    reservation_element(reservation, root)
    return root


KML_NS = "http://www.opengis.net/kml/2.2"


def kml_document(flight, points) -> etree._Element:
    kml = etree.Element(f"{{{KML_NS}}}kml", nsmap={None: KML_NS})
    document = etree.SubElement(kml, f"{{{KML_NS}}}Document")
    etree.SubElement(document, f"{{{KML_NS}}}name").text = f"Flight {flight.pk}: {flight.aircraft.tail} {flight.headline}"
    placemark = etree.SubElement(document, f"{{{KML_NS}}}Placemark")
    etree.SubElement(placemark, f"{{{KML_NS}}}name").text = flight.headline
    line = etree.SubElement(placemark, f"{{{KML_NS}}}LineString")
    etree.SubElement(line, f"{{{KML_NS}}}altitudeMode").text = "absolute"
    coords = " ".join(f"{p[2]:.6f},{p[1]:.6f},{p[3]:.1f}" for p in points)
    etree.SubElement(line, f"{{{KML_NS}}}coordinates").text = coords
    return kml
