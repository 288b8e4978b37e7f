"""What maintenance adds to dispatch's pages, through dispatch.extensions (registered in
MaintenanceConfig.ready(); dispatch never imports maintenance).

Each provider reads the whole fleet it is asked about with selectors.fleet_maintenance: a
constant number of queries whatever the size of the fleet."""

from dispatch.models import Aircraft
from maintenance.selectors import fleet_items_due, fleet_maintenance


def fleet_page(*, request, organization) -> dict:
    ids = list(Aircraft.objects.filter(organization=organization).values_list("pk", flat=True))
    return {"maintenance": fleet_maintenance(organization, ids)}


def board_page(*, request, board) -> dict:
    ids = [row.aircraft.pk for row in board.rows if row.aircraft is not None]
    due = fleet_items_due(request.club, ids) if ids else {}
    return {"aircraft_notes": {pk: [{"level": n.level, "text": n.text} for n in notes] for pk, notes in due.items()}}


def booking_page(*, request, booking) -> dict:
    state = fleet_maintenance(request.club, [booking.aircraft_id])[booking.aircraft_id]
    return {"deferred_squawks": state.deferred, "aircraft_maintenance": state, "squawk_aircraft": booking.aircraft}


def aircraft_page(*, request, aircraft) -> dict:
    state = fleet_maintenance(request.club, [aircraft.pk])[aircraft.pk]
    return {"maintenance": state, "squawks": state.open_squawks}


def register() -> None:
    from dispatch import extensions

    extensions.register("fleet_page", fleet_page)
    extensions.register("board_page", board_page)
    extensions.register("booking_page", booking_page)
    extensions.register("aircraft_page", aircraft_page)
