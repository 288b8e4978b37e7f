"""Writes: identities, realm trust, association clean-up."""

import secrets

from django.db import IntegrityError, transaction

from openid_provider.models import OpenIDIdentity, TrustedRealm
from openid_provider.public_urls import identity_url
from openid_provider.store import DjangoOpenIDStore

SLUG_BYTES = 18  # 24 URL-safe characters, 144 random bits


def identity_for(user) -> OpenIDIdentity:
    """The user's identity, created on first use. Slugs are random and never reused."""
    identity = OpenIDIdentity.objects.filter(user=user).first()
    if identity:
        return identity
    try:
        # The savepoint lets two first requests of the same user race: one insert wins.
        with transaction.atomic():
            return OpenIDIdentity.objects.create(user=user, slug=secrets.token_urlsafe(SLUG_BYTES))
    except IntegrityError:
        return OpenIDIdentity.objects.get(user=user)


def identity_url_for(user) -> str:
    """The user's OpenID URL, for example for `<openid>` on Wi-Flight crew users."""
    return identity_url(identity_for(user).slug)


def realm_trust(*, user, realm: str) -> TrustedRealm:
    trusted, _ = TrustedRealm.objects.get_or_create(user=user, realm=realm)
    return trusted


def realm_revoke(*, user, trusted_realm_id: int) -> bool:
    deleted, _ = TrustedRealm.objects.filter(user=user, pk=trusted_realm_id).delete()
    return deleted > 0


def openid_cleanup() -> tuple[int, int]:
    """Delete expired associations and stale nonces; returns (associations, nonces)."""
    store = DjangoOpenIDStore()
    return store.cleanupAssociations(), store.cleanupNonces()
