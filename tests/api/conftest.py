"""Credentials and clients for the API tests: a read+write key and a read key of the club,
and a key of another club."""

import json

import pytest
from django.test import Client

from api.keys import api_key_create


class ApiClient:
    """The Django test client speaking JSON with a Bearer credential."""

    def __init__(self, raw_key: str | None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"} if raw_key else {}
        self.client = Client(**headers)

    def get(self, path, params=None, **extra):
        return self.client.get(path, params or {}, **extra)

    def _send(self, method, path, body, **extra):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return getattr(self.client, method)(path, data, content_type=extra.pop("content_type", "application/json"),
                                            **extra)

    def post(self, path, body=None, **extra):
        return self._send("post", path, body if body is not None else {}, **extra)

    def patch(self, path, body, **extra):
        return self._send("patch", path, body, **extra)

    def delete(self, path, **extra):
        return self.client.delete(path, **extra)


@pytest.fixture(autouse=True)
def _no_rate_limit_unless_asked(settings, request):
    if "rate_limited" not in request.keywords:
        settings.API_RATE_LIMITS_ENABLED = False


@pytest.fixture
def write_key(admin):
    return api_key_create(actor=admin, name="Club script", scopes="read,write")


@pytest.fixture
def read_key(admin):
    return api_key_create(actor=admin, name="Website", scopes="read")


@pytest.fixture
def api(write_key):
    return ApiClient(write_key[1])


@pytest.fixture
def api_read(read_key):
    return ApiClient(read_key[1])


@pytest.fixture
def other_api(other_club):
    from tests.conftest import make_member

    other_admin = make_member(other_club, "other-admin", is_admin=True)
    return ApiClient(api_key_create(actor=other_admin, name="Theirs", scopes="read,write")[1])


def base(club) -> str:
    return f"/api/v1/organizations/{club.slug}"


@pytest.fixture
def token_for(admin):
    """token_for(member, scope="read write"): an ApiClient with an OAuth access token acting as
    that member (their roles, not an API key's)."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import AccessToken, set_token_value

    from api.oauth_apps import oauth_app_register

    app, _ = oauth_app_register(actor=admin, name="Member app", redirect_uris=["https://app.example/cb"],
                                confidential=False)

    def _for(membership, scope="read write") -> ApiClient:
        raw = secrets.token_urlsafe(30)
        token = AccessToken(user=membership.user, application=app, scope=scope,
                            expires=timezone.now() + timedelta(hours=1))
        set_token_value(token, raw)
        token.save()
        return ApiClient(raw)

    return _for


@pytest.fixture
def set_rules(admin):
    """set_rules(medical="block", max_length_hours=Decimal("1")): the club's booking rules
    through the real service, the rest off."""
    from booking_rules.services import RulesInput, booking_rules_update

    def _set(**values):
        return booking_rules_update(actor=admin, data=RulesInput(**values))

    return _set
