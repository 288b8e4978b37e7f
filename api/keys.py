"""API keys: created and revoked by club admins, shown once, stored hashed.

A key acts as its own account in the club (a service account membership): read keys hold
the Viewer role, read+write keys Admin and Dispatcher. A revoked key's account is
deactivated, so every service refuses it on its own, whoever calls."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from api.models import ApiKey
from clubs.audit import audit_record
from clubs.models import Membership, User
from clubs.policy import require_capability, require_same_club
from core.entry_points import system_entry_point
from core.errors import Invalid
from core.text import require_plain_line

KEY_PREFIX = "fl_"
# A key's last use is written at most this often: not one UPDATE per request.
LAST_USED_PRECISION = timedelta(minutes=1)
ONLY_ADMINS = "Only club admins manage API keys."


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _roles_for(scopes: str) -> dict[str, bool]:
    if scopes == ApiKey.Scope.WRITE:
        return {"is_admin": True, "is_dispatcher": True, "is_pilot": False}
    return {"is_viewer": True, "is_pilot": False}


def api_key_create(*, actor: Membership, name: str, scopes: str) -> tuple[ApiKey, str]:
    """A new key for the actor's club. Returns the key row and the raw key, to show once."""
    require_capability(actor, "manage_integrations", ONLY_ADMINS)
    name = require_plain_line(name.strip(), field="name", label="A key's name")
    if not name:
        raise Invalid("name_required", "Give the key a name (what uses it).", field="name")
    if scopes not in ApiKey.Scope.values:
        raise Invalid("scope_unknown", "Scopes are read, or read,write.", field="scopes")
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    prefix = raw[:11]
    with transaction.atomic():
        user = User(username=f"api-key-{prefix[len(KEY_PREFIX):]}-{secrets.token_hex(3)}",
                    full_name=f"API key: {name}", is_service_account=True)
        user.set_unusable_password()
        user.save()
        account = Membership.objects.create(organization=actor.organization, user=user, **_roles_for(scopes))
        key = ApiKey.objects.create(organization=actor.organization, name=name, prefix=prefix, key_hash=_hash_key(raw),
                                    scopes=scopes, actor=account, created_by=actor.user)
        audit_record(organization=actor.organization, actor=actor.user, action="api_key.created", target=key,
                     summary=f"Created API key {key} ({key.get_scopes_display().lower()})")
    return key, raw


def api_key_revoke(*, actor: Membership, key: ApiKey) -> ApiKey:
    require_capability(actor, "manage_integrations", ONLY_ADMINS)
    require_same_club(actor, key, "API key")
    with transaction.atomic():
        revoked = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if revoked:
            Membership.objects.filter(pk=key.actor_id).update(is_active=False)
            audit_record(organization=key.organization, actor=actor.user, action="api_key.revoked", target=key,
                         summary=f"Revoked API key {key}")
    key.refresh_from_db()
    return key


@system_entry_point("the API's authentication: the key itself is the credential")
def api_key_authenticate(raw: str) -> ApiKey | None:
    """The active key `raw` is, or None. Records its last use (at most once a minute)."""
    if not raw.startswith(KEY_PREFIX) or len(raw) > 100:
        return None
    key = (ApiKey.objects.select_related("organization", "actor__user", "actor__organization")
           .filter(key_hash=_hash_key(raw), revoked_at__isnull=True).first())
    if key is None or not key.actor.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
