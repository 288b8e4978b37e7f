"""Admins change a club's Wi-Flight connection: audited, the password only when given, and
every reservation brought to the wanted state when something that shapes them changed."""

from django.db import transaction

from portal.audit import audit_record
from portal.integrations.wiflight.models import WiFlightConnection, default_match_domain
from portal.integrations.wiflight.services import reservation_sync_club

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
