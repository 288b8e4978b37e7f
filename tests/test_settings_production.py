"""Production refuses to start without a secret key; `check --deploy` is clean there."""

import os
import subprocess
import sys

from django.conf import settings

BASE = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE"}}


def _manage(*args, **env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR,
                          env={**BASE, **env}, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="false",
                     SECRET_KEY="x" * 20 + "production-like-secret-0123456789abcdef",
                     ALLOWED_HOSTS="flightline.example.org", PUBLIC_BASE_URL="https://flightline.example.org")
    assert result.returncode == 0, result.stdout + result.stderr


def test_strict_boolean_stops_start_up():
    result = _manage("check", DEBUG="ture")
    assert result.returncode != 0
    assert "neither true nor false" in result.stderr
