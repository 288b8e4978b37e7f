"""The Wi-Flight settings page's "Test connection": sign in to the simulator over real HTTP,
read its aircraft index and say which of the club's recorder-carrying aircraft it knows."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dispatch.models import Aircraft
from integrations.wiflight.connection_test import connection_test
from integrations.wiflight.xml import parse_aircraft_index_xml
from integrations.wiflight.models import WiFlightConnection
from tests.conftest import client_for
from tests.tcp_servers import closed_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fleet(club, aircraft):
    """F-GABC (the simulator knows it), FGXYZ (it knows F-GXYZ: the same aircraft), F-GNEW
    (unknown); a retired one and one without a recorder are not the test's business."""
    Aircraft.objects.create(organization=club, registration="FGXYZ", aircraft_type="Cessna 152")
    Aircraft.objects.create(organization=club, registration="F-GNEW", aircraft_type="Robin DR400")
    Aircraft.objects.create(organization=club, registration="F-GOLD", aircraft_type="Robin DR400", retired_at=timezone.now())
    Aircraft.objects.create(organization=club, registration="F-GSIM", aircraft_type="Robin DR400", has_wiflight_recorder=False)


def _test_page(membership, club):
    return client_for(membership).post(reverse("wiflight:test_connection", args=[club.slug]))


def test_lists_which_registrations_wiflight_knows(admin, club, connection, fleet, sim):
    result = connection_test(actor=admin, connection=connection)
    assert result.signed_in and result.listed and not result.problem
    assert [(a.registration, a.known) for a in result.aircraft] == [("F-GABC", True), ("F-GNEW", False), ("FGXYZ", True)]
    # It signed in for itself and left again.
    paths = [r["path"] for r in sim.control("GET", "requests")["requests"]]
    assert paths == ["/auth/login", "/a/aircraft/", "/auth/logout"]


def test_the_page_shows_known_and_unknown(admin, club, connection, fleet):
    r = _test_page(admin, club)
    page = r.content.decode()
    assert r.status_code == 200 and "Signed in to Wi-Flight" in page
    assert 'data-registration="F-GNEW"><td>F-GNEW</td>\n<td><span class="badge unknown">Not known' in page
    assert 'data-registration="F-GABC"><td>F-GABC</td>\n<td><span class="badge known">Known' in page
    assert "F-GOLD" not in page and "F-GSIM" not in page
    assert "1 aircraft not known to Wi-Flight" in page


def test_the_settings_page_offers_the_test(admin, club, connection):
    page = client_for(admin).get(reverse("wiflight:settings", args=[club.slug])).content.decode()
    assert reverse("wiflight:test_connection", args=[club.slug]) in page


def test_bad_credentials_are_said_so(admin, club, connection, fleet):
    connection.set_password("not-the-password")
    connection.save()
    result = connection_test(actor=admin, connection=connection)
    assert not result.signed_in and result.code == "wiflight_login_failed" and result.aircraft == []
    assert "username and password" in _test_page(admin, club).content.decode()


def test_an_outage_reads_as_unreachable(admin, club, connection, fleet, sim):
    sim.faults(unavailable=True)
    result = connection_test(actor=admin, connection=connection)
    assert not result.signed_in and result.code == "wiflight_unreachable"
    page = _test_page(admin, club).content.decode()
    assert "Could not sign in" in page and "Could not reach Wi-Flight at 127.0.0.1:" in page


def test_a_closed_port_reads_as_unreachable(admin, club, connection, fleet):
    WiFlightConnection.objects.filter(pk=connection.pk).update(base_url=f"http://127.0.0.1:{closed_port()}")
    connection.refresh_from_db()
    assert connection_test(actor=admin, connection=connection).code == "wiflight_unreachable"


def test_a_slow_wiflight_times_out_as_unreachable(admin, club, connection, fleet, sim, settings):
    settings.WIFLIGHT_CONNECT_TIMEOUT, settings.WIFLIGHT_READ_TIMEOUT = 1.0, 0.5
    sim.faults(delay=1.5)
    result = connection_test(actor=admin, connection=connection)
    assert not result.signed_in and result.code == "wiflight_unreachable"
    # The simulator still answers the abandoned login; wait for it so it stays out of the next test.
    deadline = time.monotonic() + 10
    while not any(r["path"] == "/auth/login" for r in sim.control("GET", "requests")["requests"]):
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_an_unsaved_connection_is_refused(admin, club):
    with pytest.raises(ValidationError) as refused:
        connection_test(actor=admin, connection=WiFlightConnection(organization=club))
    assert refused.value.code == "connection_incomplete"
    r = client_for(admin).post(reverse("wiflight:test_connection", args=[club.slug]), follow=True)
    assert "Save the Wi-Flight address" in r.content.decode()


@pytest.mark.parametrize("persona", ["dispatcher", "pilot"])
def test_only_integration_managers_test(persona, request, club, connection, sim):
    member = request.getfixturevalue(persona)
    with pytest.raises(ValidationError) as refused:
        connection_test(actor=member, connection=connection)
    assert refused.value.code == "not_allowed"
    assert _test_page(member, club).status_code == 404
    assert sim.control("GET", "requests")["requests"] == []


def test_another_clubs_connection_is_not_found(outsider, connection, other_club, sim):
    with pytest.raises(ValidationError) as refused:
        connection_test(actor=outsider, connection=connection)
    assert refused.value.code == "not_found"
    assert sim.control("GET", "requests")["requests"] == []


def test_the_test_is_a_post(admin, club, connection):
    assert client_for(admin).get(reverse("wiflight:test_connection", args=[club.slug])).status_code == 405


def test_the_index_parser_reads_child_and_attribute_tails():
    body = b'<list><aircraft id="1"><tail>F-GABC</tail><model>DR400</model></aircraft><aircraft id="2" tail="C-GDFA"/><aircraft id="3"/></list>'
    assert parse_aircraft_index_xml(body) == ["F-GABC", "C-GDFA"]
