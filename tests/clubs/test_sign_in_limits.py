"""Failed logins count per account (whatever identified it) and per client address.

Found in an attack: a member locked out by username signed in by email at once; behind the
TLS proxy every user shared the proxy's address, so ten failures with random names locked a
real instructor out. `TRUSTED_PROXY_COUNT` (README, Production) is allauth's
ALLAUTH_TRUSTED_PROXY_COUNT; tests/test_settings_production.py checks the wiring.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

LOCKED = "too_many_login_attempts"


def _attempt(client, login, password="wrong", forwarded=None, host=None):
    headers = {}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    if host:
        headers["Host"] = host
    return client.post(reverse("account_login"), {"login": login, "password": password}, headers=headers)


def _refusals(response) -> list[str]:
    if response.status_code != 200:
        return []
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


@pytest.mark.parametrize("failed_as, then", [
    ("pilot", "pilot@example.com"),
    ("pilot@example.com", "pilot"),
    ("PILOT", "Pilot@Example.com"),
])
def test_failures_count_against_the_account_whatever_named_it(client, pilot, failed_as, then):
    for _ in range(5):
        assert _refusals(_attempt(client, failed_as)) != [LOCKED]
    assert _refusals(_attempt(client, then, PASSWORD)) == [LOCKED]


def test_another_host_header_does_not_reset_the_count(client, pilot):
    for port in range(9001, 9006):
        _attempt(client, "pilot", host=f"localhost:{port}")
    assert _refusals(_attempt(client, "pilot", PASSWORD, host="localhost:9999")) == [LOCKED]


def test_unknown_names_count_as_typed_whatever_the_case(client, db):
    for _ in range(5):
        _attempt(client, "Ghost")
    assert _refusals(_attempt(client, "GHOST")) == [LOCKED]


def test_other_accounts_are_not_locked_by_one_members_failures(client, pilot, pilot2):
    for _ in range(5):
        _attempt(client, "pilot")
    assert _attempt(client, "pilot2", PASSWORD).status_code == 302


def test_behind_the_proxy_an_attacker_cannot_lock_members_out(settings, instructor):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for i in range(10):
        _attempt(attacker, f"random-{i}", forwarded="203.0.113.7")
    assert _refusals(_attempt(attacker, "random-x", forwarded="203.0.113.7")) == [LOCKED]
    assert _attempt(Client(), "instructor", PASSWORD, forwarded="198.51.100.20").status_code == 302


def test_behind_the_proxy_addresses_the_client_made_up_are_ignored(settings, instructor):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    # The proxy appends the address it saw; whatever the client sent before that is its own.
    for i in range(10):
        _attempt(attacker, f"random-{i}", forwarded=f"10.0.0.{i}, 203.0.113.7")
    assert _refusals(_attempt(attacker, "random-x", forwarded="10.0.0.99, 203.0.113.7")) == [LOCKED]


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, db):
    for i in range(10):
        _attempt(client, f"random-{i}", forwarded=f"203.0.113.{i}")
    assert _refusals(_attempt(client, "random-x", forwarded="198.51.100.1")) == [LOCKED]


def test_an_added_address_counts_against_its_account(client, pilot):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=pilot.user, email="pilot.second@example.com", verified=True)
    for _ in range(5):
        _attempt(client, "pilot")
    assert _refusals(_attempt(client, "pilot.second@example.com", PASSWORD)) == [LOCKED]
