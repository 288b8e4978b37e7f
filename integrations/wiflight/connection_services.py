"""Admins change a club's Wi-Flight connection: audited, the password only when given, and
every reservation brought to the wanted state when something that shapes them changed."""

from django.db import transaction

from clubs.audit import audit_record
from core.crypto import encrypt_text
from integrations.wiflight.models import WiFlightConnection, default_match_domain
from integrations.wiflight.services import reservation_sync_club

RESYNC_FIELDS = {"enabled", "base_url", "username", "name_domain", "match_domain", "notify_profile",
                 "maintenance_enabled", "maintenance_domain"}


def connection_for(organization) -> WiFlightConnection:
    """The club's connection, or an unsaved one with sensible defaults."""
    return (WiFlightConnection.objects.filter(organization=organization).first()
            or WiFlightConnection(organization=organization, match_domain=default_match_domain(organization),
                                  name_domain=organization.wiflight_user_domain))


def connection_update(*, connection: WiFlightConnection, actor, changed_fields: set[str], password: str = "") -> WiFlightConnection:
    with transaction.atomic():
        if password:
            connection.set_password(password)
            changed_fields = changed_fields | {"password"}
        connection.save()
        if changed_fields:
            # Field names only: values may be secrets.
            audit_record(organization=connection.organization, actor=actor, action="wiflight.settings",
                         target=connection, summary=f"Changed Wi-Flight settings: {', '.join(sorted(changed_fields))}")
        if changed_fields & (RESYNC_FIELDS | {"password"}) and connection.enabled:
            reservation_sync_club(connection.organization)
    return connection


def notify_secret_generate(*, connection: WiFlightConnection, actor) -> str:
    """A new notification secret, returned once to be shown once. The secret Wi-Flight is
    still configured with keeps working until the admin ends the rotation; generating again
    mid-rotation replaces only the new one."""
    from integrations.wiflight.notify_auth import new_notify_secret

    secret = new_notify_secret()
    with transaction.atomic():
        connection = WiFlightConnection.objects.select_for_update().get(pk=connection.pk)
        if connection.notify_secret_encrypted and not connection.notify_previous_secret_encrypted:
            connection.notify_previous_secret_encrypted = connection.notify_secret_encrypted
        connection.notify_secret_encrypted = encrypt_text(secret)
        connection.save(update_fields=["notify_secret_encrypted", "notify_previous_secret_encrypted", "updated_at"])
        audit_record(organization=connection.organization, actor=actor, action="wiflight.notify_secret",
                     target=connection, summary="Generated a new Wi-Flight notification secret"
                     + (" (the previous one still works until the rotation ends)"
                        if connection.notify_previous_secret_encrypted else ""))
    return secret


def notify_rotation_end(*, connection: WiFlightConnection, actor) -> bool:
    with transaction.atomic():
        ended = WiFlightConnection.objects.filter(pk=connection.pk).exclude(notify_previous_secret_encrypted="").update(
            notify_previous_secret_encrypted="")
        if ended:
            audit_record(organization=connection.organization, actor=actor, action="wiflight.notify_rotation_end",
                         target=connection, summary="Ended the notification secret rotation: only the new secret works")
    return bool(ended)
