"""Hostile input to the notification receiver: every one a 4xx, never a 500, nothing stored.
The requests are authenticated, so they reach the parser (the worst case)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from flights.models import Flight
from integrations.wiflight.models import FlightNotification
from tests.wiflight.flight_docs import basic
from tests.wiflight.flight_fixtures import NOTIFY_USER, SECRET, notify_conn  # noqa: F401 - fixture

URL = "/wiflight/notify/tac/"
AUTH = {"HTTP_AUTHORIZATION": basic(NOTIFY_USER, SECRET)}
VALID_FLIGHT = (b"<flight id='7'><start>20300610T070000Z</start><length>3600</length>"
                b"<aircraft><tail>F-GABC</tail></aircraft></flight><reservation name='r@tac.example.com'/>")

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<notification id="1">&lol3;</notification>"""
XXE_FILE = b"""<?xml version="1.0"?><!DOCTYPE n [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<notification id="1"><flight id="&xxe;"/></notification>"""
XXE_HTTP = b"""<?xml version="1.0"?><!DOCTYPE n SYSTEM "http://127.0.0.1:9/evil.dtd"><notification/>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE n [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]><n/>"""
LOWERCASE_DOCTYPE_TRICK = b"""<?xml version="1.0"?><!doctype n [<!entity e "x">]><notification>&e;</notification>"""
XINCLUDE = (b"<notification xmlns:xi='http://www.w3.org/2001/XInclude' id='1'>"
            b"<xi:include href='file:///etc/passwd' parse='text'/></notification>")

HOSTILE = {
    "billion laughs": BILLION_LAUGHS,
    "external entity (file)": XXE_FILE,
    "external DTD (network)": XXE_HTTP,
    "parameter entity": PARAMETER_ENTITY,
    "lowercase doctype": LOWERCASE_DOCTYPE_TRICK,
    "xinclude": XINCLUDE,
    "10 MB body": b"<notification id='1'>" + b"A" * (10 * 1024 * 1024) + b"</notification>",
    "deep nesting": b"<a>" * 100_000 + b"</a>" * 100_000,
    "deep nesting inside notification": b"<notification id='1'>" + b"<x>" * 5000 + b"</x>" * 5000 + b"</notification>",
    "declared UTF-16, sent UTF-8": b"<?xml version='1.0' encoding='UTF-16'?><notification id='1'/>",
    "unknown encoding": b"<?xml version='1.0' encoding='x-no-such'?><notification id='1'/>",
    "latin-1 bytes declared UTF-8": b"<?xml version='1.0' encoding='UTF-8'?><notification id='\xe9'/>",
    "UTF-16 BOM garbage": b"\xff\xfe<\x00n\x00",
    "NUL bytes": b"<notification id='1'>\x00</notification>",
    "truncated": VALID_FLIGHT[:40],
    "wrong root": b"<reservation name='x'/>",
    "flight without aircraft": b"<notification id='1'><flight id='1'><start>20300610T070000Z</start>"
                               b"<length>60</length></flight><reservation name='r@x'/></notification>",
    "absurd length": b"<notification id='1'>" + VALID_FLIGHT.replace(b"3600", b"99999999999") + b"</notification>",
    "negative length": b"<notification id='1'>" + VALID_FLIGHT.replace(b"3600", b"-5") + b"</notification>",
    "bad time": b"<notification id='1'>" + VALID_FLIGHT.replace(b"20300610T070000Z", b"20301310T990000Z") + b"</notification>",
    "year zero": b"<notification id='1'>" + VALID_FLIGHT.replace(b"20300610T070000Z", b"0000-01-01T00:00:00Z") + b"</notification>",
    "naive time": b"<notification id='1'>" + VALID_FLIGHT.replace(b"20300610T070000Z", b"2030-06-10T07:00:00") + b"</notification>",
    "huge id": b"<notification id='1'>" + VALID_FLIGHT.replace(b"id='7'", b"id='" + b"9" * 500 + b"'") + b"</notification>",
    "CR/LF in the flight id": b"<notification id='1'>" + VALID_FLIGHT.replace(b"id='7'", b"id='7&#13;&#10;X: y'")
                              + b"</notification>",
    "quote in the flight id": b"<notification id='1'>" + VALID_FLIGHT.replace(b"id='7'", b"id='7&quot;.kml'")
                              + b"</notification>",
    "no reservation": b"<notification id='1'>" + VALID_FLIGHT.split(b"<reservation")[0] + b"</notification>",
    "CDATA only": b"<![CDATA[<notification/>]]>",
    "processing instruction only": b"<?php echo 1; ?>",
}


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_documents_get_a_4xx_and_store_nothing(notify_conn, body):
    response = Client().post(URL, data=body, content_type="application/xml", **AUTH)
    assert 400 <= response.status_code < 500, response.content[:200]
    assert not FlightNotification.objects.exists() and not Flight.objects.exists()


def test_the_valid_neighbour_of_the_hostile_documents_is_accepted(notify_conn):
    # Guards the list above: the documents fail for their hostile part, not by accident.
    body = b"<notification id='1'>" + VALID_FLIGHT + b"</notification>"
    assert Client().post(URL, data=body, content_type="application/xml", **AUTH).status_code == 200


xml_ish = st.one_of(
    st.binary(max_size=2000),
    st.text(alphabet=st.sampled_from(list("<>/=\"' &;!?[]-:xyzfligtnoaeur0123456789TZ\n\t\x00é")), max_size=400)
    .map(lambda s: s.encode("utf-8")),
    st.builds(lambda a, b: b"<notification id='1'>" + a + VALID_FLIGHT[len(b):] + b"</notification>",
              st.binary(max_size=60), st.binary(max_size=60)),
)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=xml_ish)
def test_fuzz_never_500_and_stores_only_valid_notifications(notify_conn, body):
    response = Client().post(URL, data=body, content_type="application/xml", **AUTH)
    assert response.status_code in (200, 400, 413), response.status_code
    if response.status_code != 200:
        assert not FlightNotification.objects.filter(body=body).exists()
