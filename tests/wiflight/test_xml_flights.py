"""Pure parse functions for flights, notifications, the flight index and tracks; KML."""

from datetime import datetime, timezone

import pytest
from hypothesis import given, strategies as st
from lxml import etree

from integrations.wiflight.xml import XMLRejected, parse_flight_index_xml, parse_flight_xml, parse_notification_xml, parse_track_xml
from flights.kml import build_kml
from tests.wiflight.flight_docs import flight_element, notification_body

START = datetime(2030, 6, 10, 7, 0, tzinfo=timezone.utc)


def test_notification_parses_flight_events_crew_and_reservation():
    n = parse_notification_xml(notification_body(reservation_name="r@x", notification_id=5, flight_id=9,
                                                 tail="f-gabc", start=START, crew=["b@x", "a@x"]))
    assert (n.notification_id, n.reservation_name, n.flight.wiflight_id, n.flight.tail) == ("5", "r@x", "9", "F-GABC")
    assert n.flight.crew == ("a@x", "b@x") and n.flight.length == 3600 and n.flight.airtime_seconds == 3000
    assert [(e.kind, e.airport) for e in n.flight.events] == [
        ("engine_start", ""), ("takeoff", "LFPN"), ("landing", "LFPN"), ("engine_stop", "")]


def test_the_documented_example_parses():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "wiflight.md"
    text = doc.read_text()
    example = text[text.index("<notification id=\"1\">"):text.index("</notification>") + len("</notification>")]
    n = parse_notification_xml(example.encode())
    assert n.flight.headline == "local at CYRO" and n.reservation_name == "r1@demo.flightline.test"


def test_flight_document_as_get_returns_it():
    f = parse_flight_xml(etree.tostring(flight_element(flight_id=3, tail="F-GXYZ", start=START, departure="LFPN",
                                                       arrival="LFPT")))
    assert f.headline == "LFPN to LFPT" and f.start == START


def test_index_and_track():
    index = parse_flight_index_xml(b"<list><flight id='4'><start>20300610T070000Z</start><length>5</length>"
                                   b"<aircraft id='1'><tail>F-GABC</tail></aircraft></flight><flight/></list>")
    assert [(i.wiflight_id, i.tail, i.start) for i in index] == [("4", "F-GABC", START)]
    points = parse_track_xml(b"<flight><point t='0' lat='1.5' lon='2.5' alt='100'/></flight>")
    assert points == [[0, 1.5, 2.5, 100, 0, 0, 0, 0, 0, 0]]
    with pytest.raises(XMLRejected):
        parse_track_xml(b"<flight><point t='x'/></flight>")


@pytest.mark.parametrize("flight_id", ["12\r\nX: y", 'a"b', "", " ", "a/b", "_a", "x" * 65])
def test_a_flight_id_must_be_a_plain_token(flight_id):
    with pytest.raises(XMLRejected) as refused:
        parse_flight_xml(etree.tostring(flight_element(flight_id=flight_id, tail="F-GXYZ", start=START)))
    assert refused.value.code == "flight_id_invalid"


def test_the_index_leaves_out_flights_whose_id_is_not_a_plain_token():
    index = parse_flight_index_xml(b"<list><flight id='4'/><flight id='5&#13;&#10;X: y'/><flight id='a&quot;b'/>"
                                   b"<flight id='f-6.1_2'/></list>")
    assert [i.wiflight_id for i in index] == ["4", "f-6.1_2"]


def test_kml_round_trips_coordinates():
    root = etree.fromstring(build_kml(name="F-GABC", points=[[0, 48.5, 2.25, 120.0]]))
    assert root.findtext(".//{http://www.opengis.net/kml/2.2}coordinates") == "2.250000,48.500000,120.0"


@given(st.binary(max_size=500))
def test_parse_notification_only_raises_xml_rejected(data):
    try:
        parse_notification_xml(data)
    except XMLRejected:
        pass


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999"])
def test_track_points_must_be_finite(value):
    body = f'<flight start="20300101T000000Z" length="60"><point t="0" lat="{value}" lon="2"/></flight>'.encode()
    with pytest.raises(XMLRejected, match="finite"):
        parse_track_xml(body)


@pytest.mark.parametrize("value", ["inf", "nan", "1e999"])
def test_flight_numbers_must_be_finite(value):
    from integrations.wiflight.xml import _int

    with pytest.raises(XMLRejected):
        _int(value, "length")
