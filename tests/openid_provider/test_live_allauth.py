"""A relying party nobody here wrote, over real HTTP: django-allauth's OpenID 2.0 consumer in
its own process signs a portal member in through our provider."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from openid_provider.services import identity_url_for
from tests.conftest import PASSWORD

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def relying_party_site(tmp_path):
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.openid_provider.rp_site.settings",
           "RP_DB_PATH": str(tmp_path / "rp.sqlite3"), "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], cwd=REPO, env=env, check=True,
                   timeout=120)
    log = open(tmp_path / "rp.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
                               cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/whoami/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail(f"relying party did not start: {(tmp_path / 'rp.log').read_text()}")
        yield base, tmp_path / "rp.sqlite3"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.mark.django_db(transaction=True)
def test_allauth_relying_party_signs_member_in(live_server, settings, relying_party_site, pilot):
    rp_base, rp_db = relying_party_site
    settings.PUBLIC_BASE_URL = live_server.url
    settings.OPENID_TRUSTED_REALMS = [f"{rp_base}/"]
    identity = identity_url_for(pilot.user)

    browser = requests.Session()
    browser.get(f"{live_server.url}/accounts/login/", timeout=10)
    signed_in = browser.post(f"{live_server.url}/accounts/login/", timeout=10, data={
        "login": "pilot", "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["flightline_csrftoken"],
    })
    assert signed_in.ok and "flightline_session" in browser.cookies

    landing = browser.get(f"{rp_base}/accounts/openid/login/", params={"openid": identity, "process": "login"},
                          timeout=30)
    hops = [r.url for r in landing.history]
    assert any(url.startswith(f"{live_server.url}/openid/endpoint/") for url in hops), hops
    assert landing.url == f"{rp_base}/whoami/", (landing.url, landing.text[:500])
    assert landing.text.startswith("signed-in:")

    with sqlite3.connect(rp_db) as db:
        uids = [row[0] for row in db.execute("SELECT uid FROM socialaccount_socialaccount WHERE provider='openid'")]
    assert uids == [identity]
