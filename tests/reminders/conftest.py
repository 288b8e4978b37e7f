from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.conftest import PARIS


class FailingBackend:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REMINDER_DOCUMENTS_DAYS = 30


@pytest.fixture
def tomorrow_at():
    """A Paris wall-clock time tomorrow (real time: the beat task reads the clock)."""
    def _at(hour: int, minute: int = 0) -> datetime:
        day = timezone.now().astimezone(PARIS).date() + timedelta(days=1)
        return datetime.combine(day, time(hour, minute), tzinfo=PARIS)
    return _at
