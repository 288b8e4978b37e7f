"""Malformed and hostile reservation documents: 400 (or 413) and nothing changed."""

import pytest

from wiflight_sim.models import Reservation, SimUser
from wiflight_sim.tests.conftest import put, reservation_xml

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b']><reservation name="r1@example.com"><aircraft tail="C-ABCD"/><start>20260301T100000Z</start>'
    b"<end>20260301T110000Z</end><crew><user name=\"x@example.com\"><fullname>&lol9;</fullname></user></crew></reservation>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<reservation name="r1@example.com"><aircraft tail="C-ABCD"/><start>20260301T100000Z</start>'
    b'<end>20260301T110000Z</end><crew><user name="x@example.com"><fullname>&xxe;</fullname></user></crew></reservation>'
)
PLAIN_DOCTYPE = b'<!DOCTYPE reservation SYSTEM "http://evil.test/r.dtd">' + reservation_xml().split(b"?>", 1)[1]
DEEP = b'<reservation name="r1@example.com"><crew/>' + b"<a>" * 5000 + b"</a>" * 5000 + b"</reservation>"
WRONG_ENCODING = reservation_xml(crew='<crew><user name="x@example.com"><fullname>\xe9</fullname></user></crew>').replace(
    "\xe9".encode("utf-8"), b"\xe9"
)

CASES = {
    "billion-laughs": LAUGHS,
    "external-entity": XXE,
    "doctype": PLAIN_DOCTYPE,
    "deep-nesting": DEEP,
    "wrong-encoding": WRONG_ENCODING,
    "not-xml": b"this is not xml",
    "empty": b"",
    "truncated": reservation_xml()[:-5],
    "wrong-root": b'<booking name="r1@example.com"/>',
    "two-aircraft": reservation_xml().replace(b"<start>", b'<aircraft tail="C-ABCD"/><start>'),
    "bad-time": reservation_xml(start="yesterday"),
    "bad-name": reservation_xml("r1").replace(b'name="r1"', b'name="r1@example.com@x"'),
}


@pytest.mark.parametrize("body", list(CASES.values()), ids=list(CASES))
def test_hostile_or_malformed_document_is_400_and_changes_nothing(admin_client, body):
    users_before = SimUser.objects.count()
    response = put(admin_client, "r1@example.com", body)
    assert response.status_code == 400, response.content
    assert response.reason_phrase and response.content.strip()
    assert not Reservation.objects.exists()
    assert SimUser.objects.count() == users_before
    assert b"root:" not in response.content  # /etc/passwd never leaks


def test_huge_document_is_413(admin_client, settings):
    padding = b"<!-- " + b"x" * (settings.SIM_MAX_BODY_BYTES + 10) + b" -->"
    response = put(admin_client, "r1@example.com", reservation_xml() + padding)
    assert response.status_code == 413
    assert not Reservation.objects.exists()


def test_doctype_error_says_what_is_wrong(admin_client):
    response = put(admin_client, "r1@example.com", XXE)
    assert response.reason_phrase == "DOCTYPE not allowed"
