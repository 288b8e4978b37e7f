"""Named personas: every permission test is one line.

`club` is "Test Aero Club" (Europe/Paris, a zone with daylight saving); `other_club` is where
`outsider` lives. Each persona is a Membership; `.user` is the account (password: PASSWORD).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from dispatch.models import Aircraft, BookingCrew
from dispatch.services.bookings import BookingInput, booking_create
from clubs.models import Membership, Organization, User

PASSWORD = "correct-horse-battery-9"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 is deliberately slow; tests create dozens of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Login rate limits live in the cache; with CACHE_URL (Redis) it outlives a test, and one
    # test's failed logins would lock the next test's personas out.
    from django.core.cache import cache

    cache.clear()
    yield


def make_member(club: Organization, username: str, **roles) -> Membership:
    user = User.objects.create_user(username=username, email=f"{username}@example.com", password=PASSWORD,
                                    full_name=username.title())
    flags = {"is_pilot": False, **roles}
    domain = club.wiflight_user_domain or "example.com"
    return Membership.objects.create(organization=club, user=user, wiflight_username=f"{username}@{domain}", **flags)


@pytest.fixture
def club(db):
    return Organization.objects.create(name="Test Aero Club", slug="tac", timezone="Europe/Paris",
                                       wiflight_user_domain="tac.example.com")


@pytest.fixture
def other_club(db):
    return Organization.objects.create(name="Other Club", slug="other", timezone="UTC")


@pytest.fixture
def admin(club):
    return make_member(club, "admin", is_admin=True)


@pytest.fixture
def dispatcher(club):
    return make_member(club, "dispatcher", is_dispatcher=True)


@pytest.fixture
def instructor(club):
    return make_member(club, "instructor", is_instructor=True, is_pilot=True)


@pytest.fixture
def student(club, instructor):
    m = make_member(club, "student", is_pilot=True)
    m.instructor = instructor
    m.save()
    return m


@pytest.fixture
def pilot(club):
    return make_member(club, "pilot", is_pilot=True)


@pytest.fixture
def pilot2(club):
    return make_member(club, "pilot2", is_pilot=True)


@pytest.fixture
def mechanic(club):
    return make_member(club, "mechanic", is_maintenance=True)


@pytest.fixture
def outsider(other_club):
    return make_member(other_club, "outsider", is_admin=True, is_dispatcher=True, is_pilot=True)


@pytest.fixture
def aircraft(club):
    return Aircraft.objects.create(organization=club, registration="F-GABC", aircraft_type="Robin DR400",
                                   hourly_rate=Decimal("150"), hobbs=Decimal("1000.0"), tach=Decimal("800.0"))


@pytest.fixture
def aircraft2(club):
    return Aircraft.objects.create(organization=club, registration="F-GXYZ", aircraft_type="Cessna 152")


@pytest.fixture
def other_aircraft(other_club):
    return Aircraft.objects.create(organization=other_club, registration="G-OTHR", aircraft_type="PA-28")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A Paris wall-clock time in the test week (2030-06-10 is a Monday)."""
    return datetime(2030, 6, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def book(dispatcher):
    """book(aircraft, start, end, crew=[(member, role)]) through the real service."""

    def _book(aircraft, start, end, crew, actor=None, **extra):
        data = BookingInput(aircraft=aircraft, start=start, end=end, crew=list(crew), **extra)
        return booking_create(actor=actor or dispatcher, data=data)

    return _book


@pytest.fixture
def booking(book, aircraft, pilot):
    return book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])


def client_for(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.fixture
def as_user():
    return client_for


def later(hours: float) -> timedelta:
    return timedelta(hours=hours)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """`make mutate` runs mutants in parallel processes: each gets its own test database."""
    import os

    if os.environ.get("MUTANT_UNDER_TEST"):
        from django.conf import settings

        for db in settings.DATABASES.values():
            test = db.setdefault("TEST", {})
            base = test.get("NAME") or f"test_{db['NAME']}"
            test["NAME"] = f"{base}-{os.getpid()}"
