"""Hourly limits per organization plan, counted atomically (Redis when configured, else the
database), with X-RateLimit headers on every response and 429 + Retry-After beyond."""

import threading
import time

import pytest
from django.db import connection

from api import ratelimit
from api.models import RateLimitWindow
from clubs.models import Plan
from tests.api.conftest import ApiClient, base

pytestmark = pytest.mark.rate_limited


def test_headers_on_every_response_and_429_beyond_the_limit(api, club, settings):
    settings.API_RATE_LIMITS = {"standard": 3, "organization": 50}
    seen = [api.get(f"{base(club)}/bookings") for _ in range(3)]
    assert [r["X-RateLimit-Remaining"] for r in seen] == ["2", "1", "0"]
    assert {r["X-RateLimit-Limit"] for r in seen} == {"3"}
    reset = int(seen[0]["X-RateLimit-Reset"])
    assert reset % 3600 == 0 and 0 < reset - time.time() <= 3600
    refused = api.get(f"{base(club)}/bookings")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused["X-RateLimit-Remaining"] == "0"


def test_errors_carry_the_headers_too(api, club):
    for response in (api.get("/api/v1/nowhere"), ApiClient(None).get("/api/v1/organizations"),
                     api.post(f"{base(club)}/flight-logs", {"date": "bad"})):
        assert response.status_code in (400, 401, 404)
        assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= set(response.headers)


def test_the_limit_follows_the_plan(api, club, settings):
    settings.API_RATE_LIMITS = {"standard": 3, "organization": 7}
    club.plan = Plan.ORGANIZATION
    club.save()
    assert api.get(base(club))["X-RateLimit-Limit"] == "7"
    club.plan, club.api_requests_per_hour = Plan.ENTERPRISE, 12345
    club.save()
    assert api.get(base(club))["X-RateLimit-Limit"] == "12345"


def test_keys_of_one_club_share_its_window(api, api_read, club, settings):
    settings.API_RATE_LIMITS = {"standard": 2, "organization": 50}
    assert api.get(base(club)).status_code == 200
    assert api_read.get(base(club)).status_code == 200
    assert api_read.get(base(club)).status_code == 429


def test_the_window_resets_on_the_hour(db):
    t = 1_800_000_000  # an exact hour
    assert ratelimit.hit("test:reset", 10, now=t + 5).count == 1
    assert ratelimit.hit("test:reset", 10, now=t + 3599).count == 2
    fresh = ratelimit.hit("test:reset", 10, now=t + 3600)
    assert (fresh.count, fresh.reset) == (1, t + 7200)


def test_the_count_is_where_the_configuration_says(db, settings):
    ratelimit.hit("test:where", 10)
    in_db = RateLimitWindow.objects.filter(bucket="test:where").exists()
    assert in_db == ("redis" not in settings.CACHES["default"]["BACKEND"].lower())


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_lose_no_count():
    """Eight threads, 25 hits each, one window: exactly 200 counted (a read-then-write would
    lose some). On SQLite the busy timeout serialises the writers."""
    now = time.time()

    def hammer():
        try:
            for _ in range(25):
                ratelimit.hit("test:race", 10_000, now=now)
        finally:
            connection.close()

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ratelimit.hit("test:race", 10_000, now=now).count == 201


def test_old_windows_are_pruned(db):
    ratelimit._count_in_database("test:prune", 0)
    ratelimit._count_in_database("test:prune", int(time.time()) // 3600 * 3600)
    assert ratelimit.prune_windows() == 1
    assert RateLimitWindow.objects.filter(bucket="test:prune").count() == 1
