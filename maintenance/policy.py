"""Who may do what with maintenance: every member of the club sees an aircraft's
maintenance and squawks (a pilot needs to know before flying); any member who is not only a
viewer reports a squawk; maintenance and admins keep the items, sign them off, and defer or
clear squawks."""

from clubs.policy import can
from core.errors import NotAllowed
from dispatch.models import Aircraft
from dispatch.policy import require_aircraft_in_club


def may_maintain(actor) -> bool:
    return can(actor, "manage_maintenance")


def require_maintainer(actor, aircraft: Aircraft) -> None:
    require_aircraft_in_club(actor, aircraft)
    if not may_maintain(actor):
        raise NotAllowed("not_allowed", "Only maintenance and admins keep inspections and clear squawks.")


def require_squawk_reporter(actor, aircraft: Aircraft) -> None:
    require_aircraft_in_club(actor, aircraft)
    if not can(actor, "report_squawks"):
        raise NotAllowed("not_allowed", "Your role does not allow reporting squawks.")
