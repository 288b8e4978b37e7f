"""Requests per hour, per organization plan: a fixed hourly window counted atomically.

With Redis configured (CACHE_URL) the count is Redis's INCR on a key that expires with the
window; without it, one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` row per window in
the database. Never process memory (each gunicorn worker would count alone) and never
read-then-write (DRF's throttles lose counts when two requests race)."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from api.models import RateLimitWindow
from clubs.models import Organization, Plan

WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class Usage:
    limit: int
    count: int
    reset: int  # epoch seconds: when the window ends

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    def headers(self) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining),
                "X-RateLimit-Reset": str(self.reset)}


def limit_for(organization: Organization) -> int:
    if organization.plan == Plan.ENTERPRISE:
        return organization.api_requests_per_hour or settings.API_RATE_LIMITS[Plan.ORGANIZATION]
    return settings.API_RATE_LIMITS[organization.plan]


def _uses_redis() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _count_in_redis(bucket: str, window: int) -> int:
    key = f"api-rate:{bucket}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)  # SET NX: only the window's first request
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls: this request opens the window
        cache.add(key, 1, timeout=WINDOW_SECONDS + 60)
        return 1


def _count_in_database(bucket: str, window: int) -> int:
    table = connection.ops.quote_name(RateLimitWindow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, window_start, count) VALUES (%s, %s, 1) "
            f"ON CONFLICT (bucket, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [bucket, window])
        return cursor.fetchone()[0]


def hit(bucket: str, limit: int, now: float | None = None) -> Usage:
    """Count one request against `bucket` in the current window."""
    now = time.time() if now is None else now
    window = int(now) // WINDOW_SECONDS * WINDOW_SECONDS
    count = _count_in_redis(bucket, window) if _uses_redis() else _count_in_database(bucket, window)
    return Usage(limit=limit, count=count, reset=window + WINDOW_SECONDS)


def prune_windows(now: float | None = None) -> int:
    """Drop the database counts of windows that have ended (a periodic task)."""
    now = time.time() if now is None else now
    current = int(now) // WINDOW_SECONDS * WINDOW_SECONDS
    deleted, _ = RateLimitWindow.objects.filter(window_start__lt=current).delete()
    return deleted
