"""Read a PUT reservation document into plain data, checking its shape (not permissions).

Permission and existence checks (domains, aircraft, notify profiles) need the database and
live in services/reservations.py.
"""

from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from wiflight_sim.timefmt import TimeFormatError, parse_time
from wiflight_sim.xml import XMLRejected


@dataclass
class CrewInput:
    name: str
    fullname: str | None
    email: str | None
    openids: list[str] = field(default_factory=list)


@dataclass
class ReservationInput:
    name: str
    domain: str
    aircraft_id: int | None
    aircraft_tail: str | None
    start: datetime
    end: datetime
    notify_profile: str
    crew: list[CrewInput]


def _only_child(root: etree._Element, tag: str, *, required: bool) -> etree._Element | None:
    found = root.findall(tag)
    if len(found) > 1:
        raise XMLRejected(f"More than one <{tag}> element")
    if not found and required:
        raise XMLRejected(f"Missing <{tag}> element")
    return found[0] if found else None


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext()).strip()


def valid_reservation_name(name: str) -> bool:
    local, at, domain = name.partition("@")
    return bool(local and at and domain and "@" not in domain and name == name.strip() and "/" not in name)


def _time(root: etree._Element, tag: str) -> datetime:
    try:
        return parse_time(_text(_only_child(root, tag, required=True)) or "")
    except TimeFormatError as exc:
        raise XMLRejected(f"Bad <{tag}>: {exc}") from exc


def _aircraft(root: etree._Element) -> tuple[int | None, str | None]:
    element = _only_child(root, "aircraft", required=True)
    raw_id, tail = element.get("id"), element.get("tail")
    if raw_id is None and tail is None:
        raise XMLRejected("<aircraft> needs an id or a tail attribute")
    aircraft_id = None
    if raw_id is not None:
        if not raw_id.strip().isdigit():
            raise XMLRejected("<aircraft> id must be a number")
        aircraft_id = int(raw_id)
    return aircraft_id, (tail.strip() if tail is not None else None)


def _crew(root: etree._Element) -> list[CrewInput]:
    crew_element = _only_child(root, "crew", required=True)
    crew, seen = [], set()
    for user in crew_element.findall("user"):
        name = (user.get("name") or "").strip()
        if not name:
            raise XMLRejected("<user> without a name attribute")
        if name.lower() in seen:
            raise XMLRejected(f"User {name} listed twice in <crew>")
        seen.add(name.lower())
        crew.append(
            CrewInput(
                name=name,
                fullname=_text(_only_child(user, "fullname", required=False)),
                email=_text(_only_child(user, "email", required=False)),
                openids=[_text(o) for o in user.findall("openid") if _text(o)],
            )
        )
    return crew


def parse_reservation_document(root: etree._Element, url_name: str) -> ReservationInput:
    if root.tag != "reservation":
        raise XMLRejected(f"Root element must be <reservation>, not <{root.tag}>")
    name = root.get("name")
    if not name:
        raise XMLRejected("<reservation> has no name attribute")
    if name != url_name:
        raise XMLRejected("Reservation name does not match URL")
    if not valid_reservation_name(name):
        raise XMLRejected("Reservation name must look like identifier@domain")
    aircraft_id, tail = _aircraft(root)
    start, end = _time(root, "start"), _time(root, "end")
    if not start < end:
        raise XMLRejected("Reservation start must be before end")
    # docs/wiflight.md: a missing domain attribute means the name's own domain.
    domain = root.get("domain")
    domain = domain.strip() if domain is not None and domain.strip() else name.rsplit("@", 1)[1]
    profile = _text(_only_child(root, "notify_profile", required=False)) or ""
    return ReservationInput(
        name=name,
        domain=domain,
        aircraft_id=aircraft_id,
        aircraft_tail=tail,
        start=start,
        end=end,
        notify_profile=profile,
        crew=_crew(root),
    )
