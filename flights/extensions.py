"""What flights adds to dispatch's pages, through dispatch.extensions (registered in
FlightsConfig.ready(); dispatch never imports flights)."""

from flights.selectors import aircraft_totals, booking_flights, flights_of_member, logbook_of, with_listing_relations


def booking_page(*, request, booking) -> dict:
    return {"flown": booking_flights(booking)}


def my_bookings_page(*, request, membership) -> dict:
    return {"recent_flights": with_listing_relations(flights_of_member(membership))[:5],
            "recent_log": list(logbook_of(membership)[:5])}


def fleet_page(*, request, organization) -> dict:
    return {"flight_totals": aircraft_totals(organization)}


def register() -> None:
    from dispatch import extensions

    extensions.register("booking_page", booking_page)
    extensions.register("my_bookings_page", my_bookings_page)
    extensions.register("fleet_page", fleet_page)
