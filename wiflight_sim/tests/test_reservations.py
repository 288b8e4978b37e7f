"""Chapter 6.1-6.4: reservation PUT, GET and DELETE."""

import pytest
from lxml import etree

from wiflight_sim.models import Reservation, SimUser, UserOpenID
from wiflight_sim.tests.conftest import login, put, reservation_xml, utc


def test_create_is_201_update_is_200_with_etags(admin_client):
    created = put(admin_client, "r1@example.com", reservation_xml())
    assert created.status_code == 201
    assert created.reason_phrase == "Created"
    etag = created["ETag"]
    updated = put(admin_client, "r1@example.com", reservation_xml(end="20260301T120000Z"), **{"If-Match": etag})
    assert updated.status_code == 200
    assert updated["ETag"] != etag
    assert Reservation.objects.get().end == utc(2026, 3, 1, 12)


def test_unchanged_put_keeps_the_etag(admin_client):
    first = put(admin_client, "r1@example.com", reservation_xml())
    again = put(admin_client, "r1@example.com", reservation_xml())
    assert again.status_code == 200
    assert again["ETag"] == first["ETag"]


def test_get_returns_full_aircraft_compact_times_and_etag(admin_client, aircraft):
    put(admin_client, "r1@example.com", reservation_xml(start="2026-03-01T10:00:00Z", domain="booking"))
    response = admin_client.get("/a/reservation/r1%40example.com")
    assert response.status_code == 200
    assert response["ETag"] == Reservation.objects.get().etag
    root = etree.fromstring(response.content)
    assert root.get("name") == "r1@example.com" and root.get("domain") == "booking"
    assert root.find("aircraft").get("id") == str(aircraft.pk)
    assert root.findtext("aircraft/tail") == "C-ABCD"
    assert root.findtext("aircraft/model") == "Cessna 172S"
    assert root.findtext("start") == "20260301T100000Z"
    assert root.find("crew") is not None


def test_get_output_can_be_put_back(admin_client):
    put(admin_client, "r1@example.com", reservation_xml())
    got = admin_client.get("/a/reservation/r1@example.com")
    again = put(admin_client, "r1@example.com", got.content, **{"If-Match": got["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] == got["ETag"]


def test_if_match_stale_is_412_and_changes_nothing(admin_client):
    put(admin_client, "r1@example.com", reservation_xml())
    response = put(admin_client, "r1@example.com", reservation_xml(end="20260301T150000Z"), **{"If-Match": '"stale"'})
    assert response.status_code == 412
    assert Reservation.objects.get().end == utc(2026, 3, 1, 11)


def test_if_match_on_missing_is_412(admin_client):
    assert put(admin_client, "r1@example.com", reservation_xml(), **{"If-Match": '"r1v1"'}).status_code == 412
    assert not Reservation.objects.exists()


def test_if_none_match_star_creates_only(admin_client):
    assert put(admin_client, "r1@example.com", reservation_xml(), **{"If-None-Match": "*"}).status_code == 201
    assert put(admin_client, "r1@example.com", reservation_xml(), **{"If-None-Match": "*"}).status_code == 412


def test_get_if_none_match_is_304(admin_client):
    etag = put(admin_client, "r1@example.com", reservation_xml())["ETag"]
    assert admin_client.get("/a/reservation/r1@example.com", headers={"If-None-Match": etag}).status_code == 304


def test_name_must_match_url(admin_client):
    response = put(admin_client, "r2@example.com", reservation_xml("r1@example.com"))
    assert response.status_code == 400
    assert response.reason_phrase == "Reservation name does not match URL"
    assert not Reservation.objects.exists()


def test_name_outside_callers_domains_is_403(admin_client, outsider):
    response = put(admin_client, "r1@other.test", reservation_xml("r1@other.test"))
    assert response.status_code == 403
    assert put(admin_client, "r1@notexample.com", reservation_xml("r1@notexample.com")).status_code == 403


def test_fleet_manager_cannot_reserve(manager, aircraft):
    assert put(login(manager), "r1@example.com", reservation_xml()).status_code == 403


@pytest.mark.parametrize("tail", ["C-NONE", "C-XXXX"])
def test_unknown_or_foreign_aircraft_is_403_cannot_reserve(admin_client, foreign_aircraft, tail):
    response = put(admin_client, "r1@example.com", reservation_xml(tail=tail))
    assert response.status_code == 403
    assert response.reason_phrase == "Cannot reserve this aircraft"


def test_aircraft_by_id(admin_client, aircraft, foreign_aircraft):
    assert put(admin_client, "r1@example.com", reservation_xml(tail=None, aircraft_id=aircraft.pk)).status_code == 201
    bad = put(admin_client, "r2@example.com", reservation_xml("r2@example.com", tail=None, aircraft_id=foreign_aircraft.pk))
    assert bad.status_code == 403


def test_start_must_be_before_end(admin_client):
    response = put(admin_client, "r1@example.com", reservation_xml(start="20260301T110000Z", end="20260301T110000Z"))
    assert response.status_code == 400
    assert b"start must be before end" in response.content


def test_crew_is_required(admin_client):
    response = put(admin_client, "r1@example.com", reservation_xml(crew=""))
    assert response.status_code == 400
    assert response.reason_phrase == "Missing <crew> element"


def test_new_crew_user_is_created_with_openids(admin_client):
    crew = (
        '<crew><user name="new@example.com"><fullname>New Pilot</fullname><email>n@example.com</email>'
        "<openid>https://op.example/id/1</openid><openid>https://op.example/id/2</openid></user></crew>"
    )
    assert put(admin_client, "r1@example.com", reservation_xml(crew=crew)).status_code == 201
    user = SimUser.objects.get(username="new@example.com")
    assert (user.fullname, user.email, user.role) == ("New Pilot", "n@example.com", SimUser.END_USER)
    assert set(UserOpenID.objects.filter(user=user).values_list("claimed_id", flat=True)) == {
        "https://op.example/id/1",
        "https://op.example/id/2",
    }
    assert list(Reservation.objects.get().crew.values_list("username", flat=True)) == ["new@example.com"]


def test_new_crew_user_without_fullname_is_400_and_nothing_changes(admin_client):
    crew = '<crew><user name="a@example.com"><fullname>A</fullname></user><user name="b@example.com"/></crew>'
    response = put(admin_client, "r1@example.com", reservation_xml(crew=crew))
    assert response.status_code == 400
    assert response.reason_phrase == "Missing fullname for new user"
    assert not SimUser.objects.filter(username__in=["a@example.com", "b@example.com"]).exists()
    assert not Reservation.objects.exists()


def test_existing_crew_details_are_ignored(admin_client, pilot):
    crew = '<crew><user name="pilot@example.com"><fullname>Changed</fullname><email>x@y</email></user></crew>'
    assert put(admin_client, "r1@example.com", reservation_xml(crew=crew)).status_code == 201
    pilot.refresh_from_db()
    assert (pilot.fullname, pilot.email) == ("Existing Pilot", "")


def test_cannot_create_crew_outside_domains(admin_client):
    crew = '<crew><user name="someone@elsewhere.test"><fullname>X</fullname></user></crew>'
    assert put(admin_client, "r1@example.com", reservation_xml(crew=crew)).status_code == 403
    assert not SimUser.objects.filter(username="someone@elsewhere.test").exists()


def test_encoded_and_plain_names_address_the_same_reservation(admin_client):
    assert put(admin_client, "r1%40example.com", reservation_xml()).status_code == 201
    assert put(admin_client, "r1@example.com", reservation_xml()).status_code == 200
    assert admin_client.get("/a/reservation/r1%40example.com").status_code == 200


def test_extended_and_compact_times_are_equal(admin_client):
    put(admin_client, "r1@example.com", reservation_xml(start="2026-03-01T10:00:00Z", end="20260301T110000Z"))
    reservation = Reservation.objects.get()
    assert (reservation.start, reservation.end) == (utc(2026, 3, 1, 10), utc(2026, 3, 1, 11))


def test_non_utc_time_is_400(admin_client):
    assert put(admin_client, "r1@example.com", reservation_xml(start="2026-03-01T10:00:00+02:00")).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        '<?xml version="1.0" encoding="UTF-8"?><reservation name="r1@example.com"><aircraft tail="C-ABCD"/>'
        "<start>20260301T100000Z</start><end>20260301T110000Z</end>"
        '<crew><user name="zoe@example.com"><fullname>Zoë Čapek</fullname></user></crew></reservation>'.encode("utf-8"),
        b'<?xml version="1.0" encoding="us-ascii"?><reservation name="r1@example.com"><aircraft tail="C-ABCD"/>'
        b"<start>20260301T100000Z</start><end>20260301T110000Z</end>"
        b'<crew><user name="zoe@example.com"><fullname>Zo&#235; &#x10C;apek</fullname></user></crew></reservation>',
    ],
    ids=["utf-8", "ascii-char-refs"],
)
def test_utf8_and_ascii_character_references(admin_client, body):
    assert put(admin_client, "r1@example.com", body).status_code == 201
    assert SimUser.objects.get(username="zoe@example.com").fullname == "Zoë Čapek"


def test_missing_domain_attribute_defaults_to_name_domain(admin_client):
    put(admin_client, "r1@example.com", reservation_xml())
    assert Reservation.objects.get().domain == "example.com"


def test_unknown_notify_profile_is_400(admin_client):
    assert put(admin_client, "r1@example.com", reservation_xml(profile="nope")).status_code == 400


def test_delete_then_404(admin_client):
    put(admin_client, "r1@example.com", reservation_xml())
    assert admin_client.delete("/a/reservation/r1@example.com").status_code == 200
    assert admin_client.delete("/a/reservation/r1@example.com").status_code == 404
    assert admin_client.get("/a/reservation/r1@example.com").status_code == 404


def test_delete_with_stale_if_match_is_412(admin_client):
    put(admin_client, "r1@example.com", reservation_xml())
    response = admin_client.delete("/a/reservation/r1@example.com", headers={"If-Match": '"old"'})
    assert response.status_code == 412
    assert Reservation.objects.exists()


def test_other_admin_cannot_read_or_delete(admin_client, outsider):
    put(admin_client, "r1@example.com", reservation_xml())
    other = login(outsider)
    assert other.get("/a/reservation/r1@example.com").status_code == 403
    assert other.delete("/a/reservation/r1@example.com").status_code == 403
    assert Reservation.objects.exists()


def test_put_without_login_is_403(db):
    from django.test import Client

    assert put(Client(), "r1@example.com", reservation_xml()).status_code == 403
