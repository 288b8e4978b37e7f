"""core/outbound.py, the one outbound HTTP session: addresses are checked after DNS resolution
and the connection goes to the address checked; private, loopback, link-local, reserved and
multicast addresses are refused unless OUTBOUND_ALLOWED_NETWORKS allows them; no redirects.

No internet here: public names are resolved by a fake getaddrinfo and connections to public
addresses are recorded by a fake create_connection, never made."""

import socket

import pytest
import requests
import urllib3.util.connection

from core.outbound import OutboundAddressRefused, address_allowed, outbound_session, outbound_url_check
from tests.tcp_servers import tcp_server

REAL_GETADDRINFO = socket.getaddrinfo
PUBLIC = "93.184.216.34"


@pytest.fixture
def nothing_allowed(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []


@pytest.fixture
def connections(monkeypatch):
    """Every connection urllib3 would open, recorded and refused instead."""
    opened = []

    def record(address, *args, **kwargs):
        opened.append(address)
        raise ConnectionRefusedError("recorded, not connected")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", record)
    return opened


def fake_dns(monkeypatch, answers: dict[str, list]):
    """Names resolve to the addresses given (a list of answers per name: one per lookup, the
    last repeats); everything else as usual. Returns the lookups made."""
    lookups = []

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if host not in answers:
            return REAL_GETADDRINFO(host, port, family, type, proto, flags)
        lookups.append(host)
        addresses = answers[host][min(len(lookups), len(answers[host])) - 1]
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port or 0) if ":" not in a else (a, port or 0, 0, 0)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


REFUSED = ["127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
           "100.64.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255", "localhost",
           "[::1]", "[::ffff:127.0.0.1]", "[fe80::1]", "[fc00::1]", "[ff02::1]", "[::]", "[2002:7f00:1::1]"]


@pytest.mark.parametrize("host", REFUSED)
def test_refused_addresses_are_never_connected_to(nothing_allowed, connections, host):
    with pytest.raises(OutboundAddressRefused):
        outbound_session().get(f"http://{host}:8001/auth/login")
    assert connections == []


def test_a_name_resolving_to_loopback_is_refused_like_the_address(nothing_allowed, connections, monkeypatch):
    fake_dns(monkeypatch, {"wiflight.example": [["127.0.0.1"]]})
    with pytest.raises(OutboundAddressRefused):
        outbound_session().get("https://wiflight.example/")
    assert connections == []


def test_a_public_name_is_resolved_and_the_address_checked_is_the_one_connected_to(
        nothing_allowed, connections, monkeypatch):
    # DNS rebinding: a second lookup would answer loopback. Nothing may resolve the name again
    # after the check: the connection goes to the address that was checked.
    lookups = fake_dns(monkeypatch, {"wiflight.example": [[PUBLIC], ["127.0.0.1"]]})
    with pytest.raises(requests.ConnectionError) as exc:
        outbound_session().get("http://wiflight.example/a/flight/")
    assert not isinstance(exc.value, OutboundAddressRefused)
    assert connections == [(PUBLIC, 80)] and lookups == ["wiflight.example"]


def test_a_name_with_any_refused_address_is_refused(nothing_allowed, connections, monkeypatch):
    fake_dns(monkeypatch, {"wiflight.example": [[PUBLIC, "10.0.0.1"]]})
    with pytest.raises(OutboundAddressRefused):
        outbound_session().get("https://wiflight.example/")
    assert connections == []


def test_allowed_networks_open_loopback_and_the_name_stays_in_the_host_header(settings, monkeypatch):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    lookups = fake_dns(monkeypatch, {"wiflight.example": [["127.0.0.1"]]})
    with tcp_server("echo") as server:
        response = outbound_session().get(f"http://wiflight.example:{server.port}/a/aircraft/")
    assert response.status_code == 200 and lookups == ["wiflight.example"]
    assert f"Host: wiflight.example:{server.port}".encode() in response.content


def test_an_allowed_network_allows_only_itself(settings, connections):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["10.1.0.0/16"]
    with pytest.raises(requests.ConnectionError) as exc:
        outbound_session().get("http://10.1.2.3/")
    assert not isinstance(exc.value, OutboundAddressRefused) and connections == [("10.1.2.3", 80)]
    with pytest.raises(OutboundAddressRefused):
        outbound_session().get("http://10.2.0.1/")


def test_redirects_are_not_followed(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with tcp_server("http_redirect") as server:
        response = outbound_session().post(f"http://127.0.0.1:{server.port}/auth/login", data={"a": "b"})
    assert response.status_code == 302 and len(server.heads) == 1


@pytest.mark.parametrize("address,allowed", [(PUBLIC, True), ("2606:4700::1111", True), ("127.0.0.1", False),
                                             ("::ffff:10.0.0.1", False), ("169.254.169.254", False)])
def test_address_allowed(nothing_allowed, address, allowed):
    assert address_allowed(address) is allowed


@pytest.mark.parametrize("url", ["http://10.0.0.1", "https://169.254.169.254/latest/", "http://localhost:8001",
                                 "https://[::1]/", "http://[::ffff:127.0.0.1]:8001"])
def test_the_url_check_refuses_what_sending_would_refuse(nothing_allowed, url):
    with pytest.raises(OutboundAddressRefused):
        outbound_url_check(url)


def test_the_url_check_passes_a_public_name_and_one_that_does_not_resolve_yet(nothing_allowed, monkeypatch):
    fake_dns(monkeypatch, {"wiflight.example": [[PUBLIC]]})
    outbound_url_check("https://wiflight.example/")
    outbound_url_check("https://no-such-name.invalid/")  # sending will say it could not reach it
    outbound_url_check("https://wiflight.example:99999/")  # a port out of range: the same
