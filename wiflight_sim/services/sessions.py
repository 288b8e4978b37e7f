"""`gasn-session` logins: create, look up, end, and expire them all (a fault switch)."""

import secrets
from datetime import timedelta

from django.utils import timezone

from wiflight_sim.errors import ApiError
from wiflight_sim.models import SimSession, SimUser
from wiflight_sim.models.accounts import hash_token

DEFAULT_EXPIRES_SECONDS = 7 * 24 * 3600  # the contract: one week without `expires`
MAX_EXPIRES_SECONDS = 366 * 24 * 3600


def parse_expires(raw: str | None) -> int:
    if raw is None or raw.strip() == "":
        return DEFAULT_EXPIRES_SECONDS
    try:
        seconds = int(raw)
    except ValueError as exc:
        raise ApiError(400, "Bad expires parameter") from exc
    if seconds <= 0:
        raise ApiError(400, "Bad expires parameter")
    return min(seconds, MAX_EXPIRES_SECONDS)


def session_start(*, user: SimUser, expires_seconds: int) -> tuple[str, SimSession]:
    token = secrets.token_urlsafe(32)
    session = SimSession.objects.create(
        token_hash=hash_token(token), user=user, expires_at=timezone.now() + timedelta(seconds=expires_seconds)
    )
    return token, session


def session_login(*, username: str, password: str, expires_seconds: int) -> tuple[str, SimSession]:
    user = SimUser.objects.filter(username__iexact=username.strip()).first()
    if user is None or not user.check_password(password):
        raise ApiError(403, "Login failed")
    return session_start(user=user, expires_seconds=expires_seconds)


def session_user(token: str | None) -> SimUser | None:
    if not token:
        return None
    session = SimSession.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if session is None or not session.is_live():
        return None
    return session.user


def session_end(token: str | None) -> bool:
    if not token:
        return False
    return SimSession.objects.filter(token_hash=hash_token(token)).delete()[0] > 0


def sessions_expire_all() -> int:
    return SimSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
