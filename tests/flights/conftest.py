"""Flights for the flights tests: detected through the integration's ingest (the path a real
flight takes), so the tests also hold for whichever source reports it."""

import pytest
from lxml import etree

from tests.wiflight.flight_docs import flight_element
from tests.wiflight.flight_fixtures import notify_conn, reservation_for  # noqa: F401 - fixture


def detect(club, flight_id, start, *, reservation_name=None, tail="F-GABC", length=3600, crew=()):
    """A flight Wi-Flight reports; with `reservation_name` as from a notification, without as
    from reconciliation (matched by time)."""
    from flights.models import Flight
    from integrations.wiflight.flight_services import flight_ingest
    from integrations.wiflight.xml import parse_flight_xml

    raw = etree.tostring(flight_element(flight_id=flight_id, tail=tail, start=start, length=length,
                                        airtime=min(3000, length - 300), crew=crew))
    return flight_ingest(organization_id=club.pk, document=parse_flight_xml(raw), raw=raw.decode(),
                         reservation_name=reservation_name,
                         source=Flight.Source.NOTIFICATION if reservation_name else Flight.Source.RECONCILIATION)


@pytest.fixture
def detected():
    return detect
