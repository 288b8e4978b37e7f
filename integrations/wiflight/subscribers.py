"""What the Wi-Flight sync does with the domain's change events: mark the reservations that
must be sent again (a queue row in the writer's transaction; workers send after commit)."""

from clubs.changes import Change, subscribe
from integrations.wiflight.sync_marking import reservation_sync_aircraft, reservation_sync_booking, reservation_sync_member


def _booking(change: Change) -> None:
    reservation_sync_booking(change.target)


def _aircraft(change: Change) -> None:
    reservation_sync_aircraft(change.target)


def _member(change: Change) -> None:
    # Crew details (name, email, Wi-Flight username) travel with each reservation; a
    # deactivated member leaves every future reservation.
    reservation_sync_member(change.target)


def register() -> None:
    subscribe("booking.*", _booking)
    subscribe("aircraft.added", _aircraft)
    subscribe("aircraft.changed", _aircraft)
    subscribe("aircraft.retired", _aircraft)
    subscribe("member.updated", _member)
    subscribe("member.deactivated", _member)
    subscribe("member.reactivated", _member)
