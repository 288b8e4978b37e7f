"""The one outbound HTTP session: every request Flightline makes to another server (Wi-Flight
now, webhooks next) goes through `outbound_session()`.

Addresses a club admin types in must not turn our workers into a probe of our own network:
the name is resolved, every address it resolves to is checked, and the connection goes to
the address checked (never to a second lookup, so DNS rebinding cannot swap it in between).
Private, loopback, link-local, reserved, multicast and unspecified addresses are refused,
unless the site admin allows a network with OUTBOUND_ALLOWED_NETWORKS (tests and the demo
allow loopback). Redirects are never followed; timeouts always apply; proxy variables and
.netrc are ignored (a proxy would resolve the name itself, after our check).

requests-hardened (as Saleor uses it for its webhooks) gives the session: no redirects,
default timeouts, our User-Agent. Its IP filter knows only "allow loopback or not", so the
filter is ours, built the way its adapter is: pin the pool to the checked address, keep the
name for the Host header, TLS SNI and certificate checks. docs/architecture.md, "Outbound
requests".
"""

import ipaddress
import logging
import socket
from functools import lru_cache
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests_hardened import Config, HTTPSession
from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES, InvalidIPAddress
from urllib3.util.connection import allowed_gai_family

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 20.0)  # connect, read (seconds)
DEFAULT_PORTS = {"http": 80, "https": 443}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class OutboundAddressRefused(InvalidIPAddress):
    """The name resolves to an address Flightline does not connect to. Raised before any
    connection is attempted. A requests.RequestException, like every other transport error."""

    def __init__(self, host: str):
        super().__init__(f"{host} resolves to an address outbound requests may not reach")
        self.host = host


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(value) for value in values)


def _allowed_networks() -> tuple:
    # Read at each request, not at import: a test (or a reload) that changes the setting counts.
    return _networks(tuple(str(value) for value in settings.OUTBOUND_ALLOWED_NETWORKS))


def address_allowed(address: str | Address) -> bool:
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if ip.version == 6 and ip.ipv4_mapped is not None:  # ::ffff:10.0.0.1 is 10.0.0.1
        ip = ip.ipv4_mapped
    if any(ip in network for network in _allowed_networks()):
        return True
    return not (not ip.is_global or ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified or any(ip in net for net in EXTRA_BLOCKED_NET_RANGES))


def allowed_address(host: str, port: int) -> Address:
    """The address to connect to for `host`: resolved once, every answer checked. A name is
    refused when any of its addresses is (a mixed answer is what a rebinding attack looks
    like). Raises OutboundAddressRefused, or socket.gaierror when the name does not resolve."""
    answers = socket.getaddrinfo(host, port, family=allowed_gai_family(), type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(sockaddr[0]) for family, _t, _p, _c, sockaddr in answers
                 if family in (socket.AF_INET, socket.AF_INET6)]
    refused = [str(a) for a in addresses if not address_allowed(a)]
    if refused or not addresses:
        log.warning("outbound request to %s refused: it resolves to %s", host, ", ".join(refused) or "nothing usable")
        raise OutboundAddressRefused(host)
    return addresses[0]


def outbound_url_check(url: str) -> None:
    """Raise OutboundAddressRefused if sending to `url` would be refused for its address (for
    forms, at save time). A name that does not resolve now passes: sending will say it could
    not reach it, and a DNS hiccup must not stop an admin saving settings."""
    parts = urlsplit(url)
    try:
        if parts.hostname:
            allowed_address(parts.hostname, parts.port or DEFAULT_PORTS.get(parts.scheme, 443))
    except (socket.gaierror, UnicodeError, ValueError):  # ValueError: a port out of range
        return


class OutboundAdapter(HTTPAdapter):
    """Connects only to checked addresses (see the module docstring)."""

    def __init__(self, *, https: bool):
        super().__init__()
        self._https = https

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        host, port = host_params["host"], host_params["port"]
        if not host:
            raise requests.exceptions.InvalidURL("The URL has no host.")
        try:
            address = allowed_address(host, port or (443 if self._https else 80))
        except socket.gaierror as exc:
            raise requests.ConnectionError(f"{host} does not resolve") from exc
        except socket.timeout as exc:
            raise requests.ConnectTimeout(f"resolving {host} timed out") from exc
        # The request keeps the name: Host header, and for TLS the SNI and certificate name.
        request.headers = CaseInsensitiveDict(request.headers or {})  # a copy: callers may share theirs
        shown = f"[{host}]" if ":" in host else host
        request.headers["Host"] = shown if port is None else f"{shown}:{port}"
        if self._https:
            pool_kwargs["assert_hostname"] = host
            pool_kwargs["server_hostname"] = host
        host_params["host"] = f"[{address}]" if address.version == 6 else str(address)
        return host_params, pool_kwargs

    def get_connection(self, url, proxies=None):  # the pre-2.32.2 path would skip the check
        raise NotImplementedError("Use get_connection_with_tls_context (requests >= 2.32.2).")


def outbound_session(*, timeout: tuple[float, float] = DEFAULT_TIMEOUT, user_agent: str = "Flightline") -> requests.Session:
    """A new session for talking to other servers. Keep one per destination and reuse it."""
    session = HTTPSession(Config(
        ip_filter_enable=False,  # its filter has no allow-list: OutboundAdapter is mounted instead
        ip_filter_allow_loopback_ips=False, never_redirect=True, default_timeout=timeout,
        user_agent_override=user_agent))
    session.trust_env = False
    session.mount("http://", OutboundAdapter(https=False))
    session.mount("https://", OutboundAdapter(https=True))
    return session
