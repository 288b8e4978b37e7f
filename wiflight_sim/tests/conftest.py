"""Personas and helpers for the simulator's tests (run with --ds=wiflight_sim.settings)."""

from datetime import datetime, timezone
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from wiflight_sim.models import SimUser
from wiflight_sim.services.accounts import aircraft_configure, user_configure

PASSWORD = "pw-for-tests"

# The test database is a file next to the simulator's (threads share it); a fresh clone has
# no var/ folder yet.
Path(settings.DATABASES["default"]["TEST"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SIM_NOTIFY_BACKOFF_SECONDS = 10.0
    settings.SIM_NOTIFY_BACKOFF_MAX_SECONDS = 3600.0
    settings.SIM_MATCH_TOLERANCE_SECONDS = 1800


@pytest.fixture
def admin(db) -> SimUser:
    return user_configure(
        username="ops@example.com", role=SimUser.FLEET_ADMIN, password=PASSWORD, fleet_name="Example", domains=("example.com",)
    )


@pytest.fixture
def manager(db, admin) -> SimUser:
    return user_configure(username="boss@example.com", role=SimUser.FLEET_MANAGER, password=PASSWORD, fleet_name="Example")


@pytest.fixture
def outsider(db) -> SimUser:
    return user_configure(
        username="ops@other.test", role=SimUser.FLEET_ADMIN, password=PASSWORD, fleet_name="Other", domains=("other.test",)
    )


@pytest.fixture
def pilot(db, admin) -> SimUser:
    return user_configure(username="pilot@example.com", password=PASSWORD, fullname="Existing Pilot")


@pytest.fixture
def aircraft(db, admin):
    return aircraft_configure(tail="C-ABCD", model="Cessna 172S", fleet_name="Example")


@pytest.fixture
def foreign_aircraft(db, outsider):
    return aircraft_configure(tail="C-XXXX", model="Piper PA-28", fleet_name="Other")


def login(user: SimUser, expires: int | None = None) -> Client:
    client = Client()
    data = {"username": user.username, "password": PASSWORD}
    if expires is not None:
        data["expires"] = str(expires)
    response = client.post("/auth/login", data)
    assert response.status_code == 200, response.content
    return client


@pytest.fixture
def admin_client(admin, aircraft) -> Client:
    return login(admin)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def reservation_xml(
    name: str = "r1@example.com",
    *,
    tail: str | None = "C-ABCD",
    aircraft_id: int | None = None,
    start: str = "20260301T100000Z",
    end: str = "20260301T110000Z",
    domain: str | None = None,
    profile: str | None = None,
    crew: str = "<crew/>",
) -> bytes:
    aircraft_attr = f'id="{aircraft_id}"' if aircraft_id is not None else f'tail="{tail}"'
    domain_attr = f' domain="{domain}"' if domain is not None else ""
    profile_el = f"<notify_profile>{profile}</notify_profile>" if profile else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<reservation name="{name}"{domain_attr}>'
        f"<aircraft {aircraft_attr}/><start>{start}</start><end>{end}</end>{profile_el}{crew}</reservation>"
    ).encode("utf-8")


def put(client: Client, name: str, body: bytes, **headers):
    return client.put(f"/a/reservation/{name}", body, content_type="text/xml", headers=headers)
