from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrations.wiflight.xml import (
    MAX_XML_BYTES, CrewUser, Reservation, XMLRejected, build_reservation_xml, format_time,
    parse_reservation_xml, parse_time, parse_xml,
)

UTC = timezone.utc


def test_compact_time_format():
    assert format_time(datetime(2013, 12, 1, 12, 0, tzinfo=UTC)) == "20131201T120000Z"
    assert format_time(datetime(2013, 12, 1, 7, 0, tzinfo=timezone(timedelta(hours=-5)))) == "20131201T120000Z"


@pytest.mark.parametrize("text", ["20131201T120000Z", "2013-12-01T12:00:00Z", "2013-12-01T12:00:00+00:00",
                                  "2013-12-01T13:00:00+01:00"])
def test_parse_time_accepts_compact_and_extended(text):
    assert parse_time(text) == datetime(2013, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "yesterday", "2013-12-01T12:00:00", "20131301T120000Z"])
def test_parse_time_refuses_garbage_and_naive(text):
    with pytest.raises(XMLRejected):
        parse_time(text)


@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2999, 1, 1), timezones=st.just(UTC)))
def test_time_round_trip(moment):
    moment = moment.replace(microsecond=0)
    assert parse_time(format_time(moment)) == moment


names = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2FF, blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30).map(str.strip).filter(bool)


@given(name=names, fullname=names, tail=st.from_regex(r"[A-Z]-[A-Z]{4}", fullmatch=True))
def test_reservation_round_trip_with_any_text(name, fullname, tail):
    start = datetime(2030, 6, 10, 7, 0, tzinfo=UTC)
    original = Reservation(name=f"{name}@example.com", domain="flightline-test", tail=tail, start=start,
                           end=start + timedelta(hours=2), notify_profile="flightline",
                           crew=(CrewUser(name="p@example.com", fullname=fullname, email="p@example.com",
                                          openids=("http://a/id/1/", "http://b/id/2/")),))
    assert parse_reservation_xml(build_reservation_xml(original)) == original


def test_built_document_has_declaration_and_empty_crew():
    doc = build_reservation_xml(Reservation(name="a@x", domain="d", tail="C-ABCD",
                                            start=datetime(2030, 1, 1, tzinfo=UTC), end=datetime(2030, 1, 1, 1, tzinfo=UTC)))
    assert doc.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b"<crew/>" in doc and b"<start>20300101T000000Z</start>" in doc


def test_reads_server_form_with_tail_child_and_ascii_char_refs():
    body = (b'<?xml version="1.0" encoding="us-ascii"?><reservation name="r@x" domain="d">'
            b'<aircraft id="5"><tail>C-ABCD</tail><model>C172</model></aircraft>'
            b'<start>20300101T000000Z</start><end>2030-01-01T01:00:00Z</end>'
            b'<crew><user name="u@x"><fullname>Ren&#233;e</fullname></user></crew></reservation>')
    parsed = parse_reservation_xml(body)
    assert parsed.tail == "C-ABCD" and parsed.crew[0].fullname == "Renée"


HOSTILE = {
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><reservation>&lol2;</reservation>',
    "external entity": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><reservation>&x;</reservation>',
    "external dtd": b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><reservation/>',
    "lowercase doctype": b'<?xml version="1.0"?><!doctype r><reservation/>',
    "too big": b"<reservation>" + b"a" * (MAX_XML_BYTES + 1) + b"</reservation>",
    "deep nesting": b"<a>" * 5000 + b"</a>" * 5000,
    "not xml": b"hello",
    "wrong encoding": '<?xml version="1.0" encoding="utf-8"?><r>é</r>'.encode("latin-1"),
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_documents_are_rejected(name):
    with pytest.raises(XMLRejected):
        parse_xml(HOSTILE[name])


@given(st.binary(max_size=300))
def test_random_bytes_never_escape_as_other_errors(data):
    try:
        parse_xml(data)
    except XMLRejected:
        pass
