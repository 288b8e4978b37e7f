"""Fixtures for flight tests without the simulator: a club with a notification secret and a
booking whose reservation name is known (the sync row is written by hand)."""

import pytest
from django.utils import timezone

from core.crypto import encrypt_text
from integrations.wiflight.models import ReservationSync, WiFlightConnection

SECRET = "notify-secret-for-tests"
NOTIFY_USER = "wiflight"


@pytest.fixture
def notify_conn(club):
    return WiFlightConnection.objects.create(
        organization=club, enabled=False, base_url="http://127.0.0.1:9", username="fleet@tac.example.com",
        name_domain="tac.example.com", match_domain="flightline-test", notify_username=NOTIFY_USER,
        notify_secret_encrypted=encrypt_text(SECRET))


def reservation_for(booking) -> str:
    name = f"{booking.uid}@tac.example.com"
    ReservationSync.objects.create(organization=booking.organization, name=name, kind="booking", booking=booking,
                                   next_attempt_at=timezone.now())
    return name


def maintenance_reservation_for(aircraft) -> str:
    name = f"maintenance-{aircraft.pk}@tac.example.com"
    ReservationSync.objects.create(organization=aircraft.organization, name=name, kind="maintenance",
                                   aircraft=aircraft, next_attempt_at=timezone.now())
    return name
