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


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "x" * 20 + "production-like-secret-0123456789abcdef",
              "ALLOWED_HOSTS": "flightline.example.org", "PUBLIC_BASE_URL": "https://flightline.example.org"}


def _production_get(path, **env) -> tuple[int, str]:
    code = ("from django.test import Client; "
            f"r = Client().get({path!r}, secure=True, HTTP_HOST='flightline.example.org'); "
            "print('response', r.status_code, r.get('Location', ''))")
    result = _manage("shell", "-c", code, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stdout + result.stderr
    status, _, location = result.stdout.split("response ")[-1].strip().partition(" ")
    return int(status), location


def test_production_does_not_mount_the_django_admin():
    assert _production_get("/django-admin/")[0] == 404
    assert _production_get("/django-admin/login/")[0] == 404


def test_django_admin_enabled_mounts_it_behind_the_site_sign_in():
    status, location = _production_get("/django-admin/login/?next=/django-admin/", DJANGO_ADMIN_ENABLED="true")
    assert (status, location) == (302, "/accounts/login/?next=%2Fdjango-admin%2F")


def test_trusted_proxy_count_comes_from_the_environment():
    code = "from django.conf import settings; print('count', settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    for env, expected in [({}, 0), ({"TRUSTED_PROXY_COUNT": "1"}, 1)]:
        result = _manage("shell", "-c", code, **{**PRODUCTION, **env})
        assert result.returncode == 0, result.stdout + result.stderr
        assert int(result.stdout.split("count")[-1]) == expected
