"""Fixtures for the OpenID provider tests (helpers live in relying_party.py)."""

import pytest
from openid import fetchers

from tests.openid_provider.relying_party import (
    BASE, OTHER_REALM, OTHER_RETURN_TO, TRUSTED_REALM, RelyingParty, RoutedFetcher,
)


@pytest.fixture
def openid_settings(settings):
    settings.PUBLIC_BASE_URL = BASE
    settings.OPENID_TRUSTED_REALMS = ["https://www.wi-flight.net/", TRUSTED_REALM]
    settings.OPENID_BLOCK_UNTRUSTED_REALMS = False
    return settings


@pytest.fixture
def fetcher(openid_settings, db):
    previous = fetchers.getDefaultFetcher()
    routed = RoutedFetcher()
    fetchers.setDefaultFetcher(routed, wrap_exceptions=False)
    yield routed
    fetchers.setDefaultFetcher(previous, wrap_exceptions=False)


@pytest.fixture
def rp(fetcher):
    return RelyingParty()


@pytest.fixture
def other_rp(fetcher):
    return RelyingParty(realm=OTHER_REALM, return_to=OTHER_RETURN_TO)
