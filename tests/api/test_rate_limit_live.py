"""The 1,001st request in an hour on a standard plan is 429 with correct headers while two
gunicorn processes serve the requests in turn.

Two gunicorn servers (one worker each) on two ports share one database, and the requests
alternate between them: request n is served by the process of server n % 2, so every
consecutive pair was counted by two different processes. Embedded, the count is a database
row (SQLite); in the scaled configuration (DATABASE_URL=postgres://..., CACHE_URL=redis://...)
it is a Redis key, and the database holds none."""

import json
import time

import pytest
import requests

from tests.live_server import live_database, scaled_available

LIMIT = 1000
COUNTS = """
import json, sys
from api.models import RateLimitWindow
from django.core.cache import cache
bucket, window = sys.argv[1], int(sys.argv[2])
row = RateLimitWindow.objects.filter(bucket=bucket, window_start=window).values_list("count", flat=True).first()
print(json.dumps({"database": row, "cache": cache.get(f"api-rate:{bucket}:{window}")}))
"""


def _in_turn(servers, club) -> list[tuple[requests.Response, float]]:
    """LIMIT + 1 requests, request n to server n % 2; each answer with the time it came."""
    # Keep-alive is offered; gunicorn's sync workers close after each answer anyway, so a
    # session reconnects (to the same server) every time.
    sessions = [requests.Session() for _ in servers]
    path = f"/api/v1/organizations/{club.slug}"
    answers = []
    for n in range(LIMIT + 1):
        server = n % len(servers)
        answers.append((sessions[server].get(servers[server].url + path, headers=club.auth, timeout=30), time.time()))
    return answers


def _reset(answer) -> str:
    return answer[0].headers["X-RateLimit-Reset"]


@pytest.mark.parametrize("configuration", [
    "embedded",
    pytest.param("scaled", marks=pytest.mark.skipif(not scaled_available(), reason="needs DATABASE_URL=postgres://... "
                                                     "and CACHE_URL=redis://... (the scaled configuration)")),
])
def test_the_1001st_request_in_an_hour_is_429_while_two_processes_serve_in_turn(tmp_path, configuration):
    with live_database(tmp_path, scaled=configuration == "scaled") as db:
        club = db.seed_club("hourly")
        with db.serving(count=2) as servers:
            assert servers[0].pid != servers[1].pid
            answers = _in_turn(servers, club)
            if _reset(answers[0]) != _reset(answers[-1]):
                # The hour turned mid-run and its window started again: once more, in the new
                # hour, with a fresh club (a fresh count).
                club = db.seed_club("hourly-again")
                answers = _in_turn(servers, club)

        served, (refused, refused_at) = [r for r, _ in answers[:LIMIT]], answers[LIMIT]
        assert [r.status_code for r in served] == [200] * LIMIT
        assert [int(r.headers["X-RateLimit-Remaining"]) for r in served] == list(range(LIMIT - 1, -1, -1))
        assert {r.headers["X-RateLimit-Limit"] for r in served} == {str(LIMIT)}
        resets = {r.headers["X-RateLimit-Reset"] for r in served}
        assert len(resets) == 1
        reset = int(resets.pop())
        assert reset % 3600 == 0 and 0 < reset - refused_at <= 3600

        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        assert refused.headers["X-RateLimit-Remaining"] == "0"
        assert refused.headers["X-RateLimit-Limit"] == str(LIMIT)
        assert int(refused.headers["X-RateLimit-Reset"]) == reset
        assert abs(int(refused.headers["Retry-After"]) - (reset - refused_at)) <= 2

        # Every request was counted once, in the store the configuration says.
        counts = json.loads(db.django(COUNTS, f"org:{club.id}", str(reset - 3600)))
        if db.scaled:
            assert counts == {"database": None, "cache": LIMIT + 1}
        else:
            assert counts == {"database": LIMIT + 1, "cache": None}
