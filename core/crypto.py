"""Encryption at rest for the few secrets we must be able to read back (Wi-Flight passwords,
notification secrets). Passwords of our own users are hashed by Django, never encrypted.

Keys: `FIELD_ENCRYPTION_KEYS` (comma-separated Fernet keys, newest first; older keys still
decrypt, so keys rotate without downtime). Without it, one key is derived from SECRET_KEY, so
rotating SECRET_KEY then needs the old one listed in FIELD_ENCRYPTION_KEYS.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    derived = base64.urlsafe_b64encode(hashlib.sha256(b"flightline-field-encryption:" + secret_key.encode()).digest())
    return MultiFernet([Fernet(derived)])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt_text(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode() if plain else ""


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("A stored secret cannot be decrypted: was SECRET_KEY or FIELD_ENCRYPTION_KEYS changed?") from exc
