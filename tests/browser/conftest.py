"""Playwright (sync API) driving Debian's chromium against pytest-django's live server.

Never `playwright install`: the browser is Debian's /usr/bin/chromium (see
/work/shared/SERVICES.md for the launch flags). Without it the browser tests skip with the
reason; CI sets REQUIRE_BROWSER=1 so a missing browser fails instead of skipping silently.
"""

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from clubs.models import Membership

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Every wait is bounded: a broken page fails in seconds, not at the 30 s Playwright default.
TIMEOUT_MS = 5_000


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable("Debian's chromium is not installed: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("The playwright Python package is not installed: pip install -e '.[dev]'")
    # Playwright's sync API keeps an asyncio loop running in this thread, which makes Django
    # refuse ORM calls from the test (SynchronousOnlyOperation). Allow them only while the
    # browser is up, so the rest of the suite still catches real async-unsafe ORM use.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with tempfile.TemporaryDirectory(prefix="flightline-chromium-") as profile:
            with sync_playwright() as pw:
                # A plain launch already uses a throwaway profile; the temp dir keeps
                # chromium's crash dumps and caches out of $HOME.
                browser = pw.chromium.launch(
                    executable_path=str(CHROMIUM), args=[*LAUNCH_ARGS, f"--crash-dumps-dir={profile}"],
                    env={**os.environ, "HOME": profile},
                )
                yield browser
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The browser signs in for real; PBKDF2's million rounds per persona would dominate.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def new_page(browser, live_server):
    """new_page(membership=None, width=1280, height=800): a page in a fresh context, signed in
    as `membership` (through a session cookie) if given."""
    contexts = []

    def _new_page(membership: Membership | None = None, *, width: int = 1280, height: int = 800):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        if membership is not None:
            client = Client()
            client.force_login(membership.user)
            cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()
