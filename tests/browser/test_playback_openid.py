"""A flight's playback link, end to end: portal sign-in, the Wi-Flight simulator's
`auth/openid_enter`, our OpenID provider, and the simulator's playback page, in a real browser.

The simulator runs as its own process on a free port with WIFLIGHT_SIM_BASE_URL set to that
port, because its OpenID realm and return_to are built from that setting (docs/wiflight.md);
tests/wiflight/conftest.py's `simulator` leaves it at the default :8001, which is fine for the
reservation API but not for OpenID. Each test gets a fresh simulator (a copy of a database
migrated and seeded once per module), so the pilot's account is created by the reservation PUT
with the identity URL of this test's portal database, exactly as the portal's sync would.
"""

import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import requests

from openid_provider.links import playback_url
from openid_provider.services import identity_url_for
from tests.browser.conftest import TIMEOUT_MS
from tests.conftest import PASSWORD
from wiflight_sim.launcher import serving, sim_command, sim_env

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under REQUIRE_BROWSER=1) with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLEET_ADMIN = "fleet@tac.example.com"
FLEET_PASSWORD = "fleet-admin-pw"
NAME_DOMAIN = "tac.example.com"
TAIL = "F-GABC"
# The reservation and the recorder upload the simulator matches (times in UTC).
RESERVATION_START, RESERVATION_END = "20300610T070000Z", "20300610T090000Z"
FLIGHT_START, FLIGHT_SECONDS = "20300610T071000Z", 3000
# Another day on the same aircraft: gives pilot2 a simulator account without crewing our flight.
OTHER_START, OTHER_END = "20300612T070000Z", "20300612T090000Z"


# --- The Wi-Flight simulator ------------------------------------------------------------------


class Simulator:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.realm = base_url + "/"

    def control(self, method: str, path: str, **json):
        response = requests.request(method, f"{self.base_url}/sim/{path}", json=json or None, timeout=10)
        response.raise_for_status()
        return response.json()

    def fleet_admin(self) -> requests.Session:
        session = requests.Session()
        response = session.post(f"{self.base_url}/auth/login",
                                data={"username": FLEET_ADMIN, "password": FLEET_PASSWORD}, timeout=10)
        assert response.status_code == 200, response.text
        return session

    def requests_log(self) -> list[dict]:
        return self.control("GET", "requests")["requests"]


@pytest.fixture(scope="module")
def sim_template(tmp_path_factory):
    """A simulator database migrated and seeded once: fleet admin of TAC and F-GABC."""
    db = tmp_path_factory.mktemp("wfsim-template") / "sim.sqlite3"
    env = sim_env(db)
    sim_command(env, "migrate", "-v0")
    sim_command(env, "sim_user", FLEET_ADMIN, "--role", "fleet_admin", "--password", FLEET_PASSWORD,
         "--fleet", "TAC", "--domain", NAME_DOMAIN)
    sim_command(env, "sim_aircraft", TAIL, "--model", "Robin DR400", "--fleet", "TAC")
    return db


@pytest.fixture
def wiflight(sim_template, tmp_path):
    """A fresh simulator process on a free port whose OpenID realm is its own base URL."""
    db = tmp_path / "sim.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(sim_template) + suffix)
        if source.exists():
            shutil.copyfile(source, Path(str(db) + suffix))
    with serving(db, delivery=False) as base:
        yield Simulator(base)


# --- Portal and simulator set up for one pilot's flight ---------------------------------------


@pytest.fixture
def portal(settings, live_server, wiflight):
    """The portal publishes its OpenID URLs from its live server URL and trusts exactly the
    realm the simulator sends (checked against the simulator's first redirect below)."""
    settings.PUBLIC_BASE_URL = live_server.url
    settings.OPENID_TRUSTED_REALMS = [wiflight.realm]
    return live_server


def _reservation_xml(name: str, start: str, end: str, member, identity: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<reservation name="{name}">
  <aircraft tail="{TAIL}"/>
  <start>{start}</start>
  <end>{end}</end>
  <crew>
    <user name="{member.wiflight_username}">
      <fullname>{member.user.full_name}</fullname>
      <email>{member.user.email}</email>
      <openid>{identity}</openid>
    </user>
  </crew>
</reservation>
"""


def _put_reservation(wiflight: Simulator, admin: requests.Session, name: str, start: str, end: str, member) -> str:
    """What the portal's reservation sync sends: crew with the member's OpenID identity URL."""
    identity = identity_url_for(member.user)
    response = admin.put(
        f"{wiflight.base_url}/a/reservation/{quote(name, safe='')}",
        data=_reservation_xml(name, start, end, member, identity).encode(),
        headers={"Content-Type": "text/xml", "If-None-Match": "*"}, timeout=10,
    )
    assert response.status_code == 201, (response.status_code, response.text)
    return identity


@pytest.fixture
def flight(portal, wiflight, pilot, pilot2):
    """The pilot's simulated flight on F-GABC (matched to their reservation); pilot2 has a
    simulator account (another day's reservation) but did not fly it."""
    admin = wiflight.fleet_admin()
    _put_reservation(wiflight, admin, f"pb-1@{NAME_DOMAIN}", RESERVATION_START, RESERVATION_END, pilot)
    _put_reservation(wiflight, admin, f"pb-2@{NAME_DOMAIN}", OTHER_START, OTHER_END, pilot2)
    created = wiflight.control("POST", "flights", tail=TAIL, start=FLIGHT_START, duration=FLIGHT_SECONDS)
    assert created["crew"] == [pilot.wiflight_username], created
    assert created["matched"] == [{"reservation": f"pb-1@{NAME_DOMAIN}", "domain": NAME_DOMAIN}], created
    return created["id"]


# --- Browser helpers ---------------------------------------------------------------------------


class Trail:
    """Every main-frame navigation: committed URLs (framenavigated) and each document response
    on the way (redirect hops included), so a page shown in passing cannot hide."""

    def __init__(self, page):
        self.committed: list[str] = []
        self.hops: list[tuple[int, str]] = []
        page.on("framenavigated", lambda frame: frame == page.main_frame and self.committed.append(frame.url))
        page.on("response", lambda r: r.request.is_navigation_request() and r.frame == page.main_frame
                and self.hops.append((r.status, r.url)))

    def reset(self):
        self.committed.clear()
        self.hops.clear()


def _sign_in(page, member):
    page.fill("input[name=login]", member.user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("button[type=submit]").click()


def _context(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _path(url: str) -> str:
    return urlsplit(url).path


def _on_portal(url: str, live_server) -> bool:
    return url.startswith(live_server.url + "/")


def _sim_session(context, wiflight) -> list[dict]:
    return [c for c in context.cookies(wiflight.base_url) if c["name"] == "gasn-session"]


# --- Tests ---------------------------------------------------------------------------------------


def test_signed_in_pilot_lands_on_playback_without_seeing_a_page(browser, portal, wiflight, flight, pilot):
    identity = identity_url_for(pilot.user)
    link = playback_url(wiflight_base_url=wiflight.base_url, identity_url=identity, flight_id=flight)
    context = _context(browser, portal)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        _sign_in(page, pilot)
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

        trail = Trail(page)
        response = page.goto(link)

        # Landed on the simulator's playback of that flight, signed in there as the pilot.
        assert response.status == 200
        assert page.url == f"{wiflight.base_url}/flightview/{flight}"
        expect(page.locator("#aircraft")).to_contain_text(TAIL)
        expect(page.locator("#crew")).to_have_text(pilot.wiflight_username)
        expect(page.get_by_text(f"Signed in as {pilot.wiflight_username}")).to_be_visible()
        assert len(_sim_session(context, wiflight)) == 1

        # No page on the way: the only document the browser committed is the playback, and every
        # hop before it was a redirect (simulator -> provider -> simulator -> playback).
        assert trail.committed == [page.url], trail.hops
        assert [status for status, _ in trail.hops[:-1]] == [302, 302, 302], trail.hops
        assert trail.hops[-1] == (200, page.url)
        hop_paths = [(_on_portal(url, portal), _path(url)) for _, url in trail.hops]
        assert hop_paths == [
            (False, "/auth/openid_enter"), (True, "/openid/endpoint/"),
            (False, "/auth/openid_return"), (False, f"/flightview/{flight}"),
        ], trail.hops
        # The realm the simulator sent is the one the portal trusts (and no consent page was needed).
        endpoint_url = trail.hops[1][1]
        assert f"openid.realm={quote(wiflight.realm, safe='')}" in endpoint_url, endpoint_url
        assert f"openid.identity={quote(identity, safe='')}" in endpoint_url, endpoint_url

        log = [(r["path"], r["status"], r["user"]) for r in wiflight.requests_log() if r["method"] == "GET"]
        assert log == [
            ("/auth/openid_enter", 302, ""),
            ("/auth/openid_return", 302, pilot.wiflight_username),
            (f"/flightview/{flight}", 200, pilot.wiflight_username),
        ], log
    finally:
        context.close()


def test_another_member_never_sees_the_flight_nor_becomes_the_pilot(browser, portal, wiflight, flight, pilot, pilot2):
    pilot_identity = identity_url_for(pilot.user)
    context = _context(browser, portal)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        _sign_in(page, pilot2)
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        trail = Trail(page)

        # 1. The pilot's own link, followed by pilot2: the provider will not assert someone
        # else's identity; the trusted simulator gets `cancel` and refuses the sign-in.
        response = page.goto(playback_url(wiflight_base_url=wiflight.base_url, identity_url=pilot_identity,
                                          flight_id=flight))
        assert response.status == 403
        assert _path(page.url) == "/auth/openid_return", trail.hops
        expect(page.locator("body")).to_contain_text("OpenID login cancelled")
        assert _sim_session(context, wiflight) == []
        assert trail.committed == [page.url], trail.hops
        assert all(status == 302 for status, _ in trail.hops[:-1]), trail.hops

        # 2. A link with pilot2's own identity: signed in to the simulator as pilot2, who was
        # not crew on the flight and is refused it.
        trail.reset()
        response = page.goto(playback_url(wiflight_base_url=wiflight.base_url,
                                          identity_url=identity_url_for(pilot2.user), flight_id=flight))
        assert response.status in (403, 404)
        assert page.url == f"{wiflight.base_url}/flightview/{flight}"
        expect(page.locator("body")).to_contain_text("Not authorized to view this flight")
        expect(page.locator("body")).not_to_contain_text(TAIL)
        assert len(_sim_session(context, wiflight)) == 1
        assert trail.committed == [page.url], trail.hops

        # Never as the first pilot: the simulator saw pilot2 or nobody, and only refusals.
        log = [(r["path"], r["status"], r["user"]) for r in wiflight.requests_log() if r["method"] == "GET"]
        assert {user for _, _, user in log} <= {"", pilot2.wiflight_username}, log
        assert (f"/flightview/{flight}", 403, pilot2.wiflight_username) in log, log
        assert not any(path.startswith("/flightview/") and status == 200 for path, status, _ in log), log
    finally:
        context.close()


def test_signed_out_pilot_signs_in_then_lands_on_playback(browser, portal, wiflight, flight, pilot):
    link = playback_url(wiflight_base_url=wiflight.base_url, identity_url=identity_url_for(pilot.user),
                        flight_id=flight)
    context = _context(browser, portal)
    try:
        page = context.new_page()
        trail = Trail(page)
        page.goto(link)

        # The provider keeps the request and asks for a sign-in; `next` is its own resume URL.
        assert _on_portal(page.url, portal), trail.hops
        assert urlsplit(page.url).path == "/accounts/login/"
        assert urlsplit(page.url).query == "next=%2Fopenid%2Fresume%2F"
        assert trail.committed == [page.url], trail.hops
        assert _sim_session(context, wiflight) == []

        trail.reset()
        _sign_in(page, pilot)
        expect(page).to_have_url(f"{wiflight.base_url}/flightview/{flight}")
        expect(page.locator("#aircraft")).to_contain_text(TAIL)
        expect(page.get_by_text(f"Signed in as {pilot.wiflight_username}")).to_be_visible()
        # After the sign-in form: resume -> simulator return -> playback, all redirects.
        assert trail.committed == [page.url], trail.hops
        paths = [(status, _on_portal(url, portal), _path(url)) for status, url in trail.hops]
        assert paths[-3:] == [
            (302, True, "/openid/resume/"), (302, False, "/auth/openid_return"),
            (200, False, f"/flightview/{flight}"),
        ], trail.hops
        assert not any(on_portal and path.startswith(("/openid/decide/", "/accounts/login/"))
                       for _, on_portal, path in paths[1:]), trail.hops
    finally:
        context.close()
