""""Test connection": sign in to Wi-Flight with the stored credentials and compare its
aircraft index with the club's recorder-carrying aircraft, so an aircraft Wi-Flight does not
know is found before its reservations come back "403 Cannot reserve this aircraft".

Nothing is written: the result is shown once. The fleet is read before any request, and no
transaction is open while Wi-Flight is asked (it can take the whole read timeout)."""

from dataclasses import dataclass, field

from django.conf import settings

from clubs.models import Membership
from clubs.policy import require_capability, require_same_club
from core.errors import Invalid
from dispatch.models import Aircraft
from dispatch.models.fleet import registration_key
from integrations.wiflight.client import WiFlightAddressRefused, WiFlightClient, WiFlightError, WiFlightUnavailable
from integrations.wiflight.models import WiFlightConnection
from integrations.wiflight.xml import XMLRejected, parse_aircraft_index_xml


@dataclass(frozen=True)
class AircraftCheck:
    registration: str
    known: bool


@dataclass(frozen=True)
class ConnectionTestResult:
    signed_in: bool
    problem: str = ""  # why not, in words for the admin
    code: str = ""  # the stable code of the problem (docs/errors.md, the Wi-Flight table)
    listed: bool = False  # the aircraft index was read
    aircraft: list[AircraftCheck] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # tails Wi-Flight has that the club does not fly

    @property
    def unknown(self) -> list[AircraftCheck]:
        return [a for a in self.aircraft if not a.known]


def _fleet(organization) -> list[Aircraft]:
    return list(Aircraft.objects.in_service().filter(organization=organization, has_wiflight_recorder=True)
                .exclude(kind=Aircraft.Kind.SIMULATOR).order_by("registration"))


def _problem(exc: WiFlightError, where: str) -> ConnectionTestResult:
    if isinstance(exc, WiFlightAddressRefused):
        return ConnectionTestResult(False, str(exc), exc.code)
    if isinstance(exc, WiFlightUnavailable):
        # Refused, timed out or not Wi-Flight read the same on purpose (client.py's docstring).
        timeout = int(settings.WIFLIGHT_CONNECT_TIMEOUT + settings.WIFLIGHT_READ_TIMEOUT)
        return ConnectionTestResult(False, f"Could not reach Wi-Flight at {where}: no answer within {timeout} s, or "
                                           "the answer was not Wi-Flight's. Check the address, or try again later.",
                                    exc.code)
    return ConnectionTestResult(False, "Wi-Flight refused the sign-in: check the fleet administrator username and "
                                       "password.", "wiflight_login_failed")


def connection_test(*, actor: Membership, connection: WiFlightConnection) -> ConnectionTestResult:
    require_capability(actor, "manage_integrations", "Only club admins test the Wi-Flight connection.")
    require_same_club(actor, connection, "Wi-Flight connection")
    if connection.pk is None or not (connection.base_url and connection.username and connection.password_encrypted):
        raise Invalid("connection_incomplete", "Save the Wi-Flight address, username and password first.")
    fleet = _fleet(connection.organization)
    # A client of its own, not the workers' cached session: the test must really sign in.
    client = WiFlightClient(connection.base_url, connection.username, connection.password,
                            timeout=(settings.WIFLIGHT_CONNECT_TIMEOUT, settings.WIFLIGHT_READ_TIMEOUT))
    try:
        try:
            client.login()
        except WiFlightError as exc:
            return _problem(exc, client.where)
        try:
            tails = parse_aircraft_index_xml(client.list_aircraft())
        except (WiFlightError, XMLRejected) as exc:
            return ConnectionTestResult(True, f"Signed in, but the aircraft list could not be read: {exc}",
                                        getattr(exc, "code", None) or "document_rejected")
        try:
            client.logout()
        except WiFlightError:
            pass  # the short session expires by itself (client.LOGIN_EXPIRES)
    finally:
        client.session.close()
    known = {registration_key(t) for t in tails}
    ours = {registration_key(a.registration) for a in fleet}
    return ConnectionTestResult(
        True, listed=True,
        aircraft=[AircraftCheck(a.registration, registration_key(a.registration) in known) for a in fleet],
        others=sorted(t for t in tails if registration_key(t) not in ours))
