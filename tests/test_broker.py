"""The embedded broker never hands a consumer a half-written message (kombu's own filesystem
transport does, and the worker dies of a JSONDecodeError)."""

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _race(transport: str) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "broker_race.py"), transport], capture_output=True,
                         text=True, timeout=120, cwd=HERE.parent, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_concurrent_publish_and_consume_delivers_every_message_whole():
    for _ in range(3):
        result = _race("portal.broker:Transport")
        assert result["errors"] == [] and result["received"] == list(range(300)) and result["leftovers"] == []
