"""Admins change a club's Wi-Flight connection: audited, the password only when given, and
every reservation brought to the wanted state when something that shapes them changed.

Each service takes the acting membership and checks it itself: a connection of another club
is not found, a member who is not an admin is not allowed."""

from django.conf import settings
from django.db import transaction

from clubs.audit import audit_record
from clubs.models import Membership
from clubs.policy import require_capability, require_same_club
from core.crypto import encrypt_text
from core.entry_points import system_entry_point
from core.errors import Invalid
from core.outbound import OutboundAddressRefused, outbound_url_check
from core.text import require_plain_line
from integrations.wiflight.models import WiFlightConnection, default_match_domain
from integrations.wiflight.notify_auth import new_notify_secret
from integrations.wiflight.sync_marking import reservation_sync_club

RESYNC_FIELDS = {"enabled", "base_url", "username", "name_domain", "match_domain", "notify_profile",
                 "maintenance_enabled", "maintenance_domain"}
ONLY_ADMINS = "Only club admins change the Wi-Flight connection."


def _require_admin_of(actor: Membership, connection: WiFlightConnection) -> None:
    require_capability(actor, "manage_integrations", ONLY_ADMINS)
    require_same_club(actor, connection, "Wi-Flight connection")


@system_entry_point("a read of the club the page's own membership belongs to")
def connection_for(organization) -> WiFlightConnection:
    """The club's connection, or an unsaved one with sensible defaults."""
    return (WiFlightConnection.objects.filter(organization=organization).first()
            or WiFlightConnection(organization=organization, match_domain=default_match_domain(organization),
                                  name_domain=organization.wiflight_user_domain))


def _check_connection(connection: WiFlightConnection, password: str) -> None:
    for field in ("base_url", "username", "name_domain", "match_domain", "notify_profile", "maintenance_domain"):
        require_plain_line(getattr(connection, field) or "", field=field,
                           label=WiFlightConnection._meta.get_field(field).verbose_name.capitalize())
    # Compared with what is stored, not with what the caller says changed.
    stored = WiFlightConnection.objects.filter(pk=connection.pk).values_list("base_url", "username").first()
    # The fleet administrator's password travels to this address: only over TLS, except
    # to a local simulator while developing (checked when an address is entered).
    new_address = stored is None or stored[0] != connection.base_url
    if new_address and not connection.base_url.startswith("https://") and not settings.DEBUG:
        raise Invalid("https_required", "Wi-Flight must be reached over https://.", field="base_url")
    # Sending would refuse it too (core/outbound.py); saying so here tells the admin why. A DNS
    # lookup, outside any transaction (connection_update opens its own after these checks).
    if new_address:
        try:
            outbound_url_check(connection.base_url)
        except OutboundAddressRefused:
            raise Invalid("outbound_address_refused", "Flightline does not connect to private, loopback or "
                          "link-local addresses: give Wi-Flight's public address.", field="base_url") from None
    # A stored password is only ever sent where it was entered for: pointing the connection
    # at another server or account needs the password again.
    moved = stored is not None and stored != (connection.base_url, connection.username)
    if moved and connection.password_encrypted and not password:
        raise Invalid("connection_password_required",
                      "Give the password again when you change the Wi-Flight address or username.", field="password")
    if connection.enabled:
        missing = [label for value, label in ((connection.username, "the fleet administrator username"),
                                              (connection.name_domain, "the reservation name domain")) if not value]
        if not (password or connection.password_encrypted):
            missing.append("the password")
        if missing:
            raise Invalid("connection_incomplete", f"To switch the sync on, give {', '.join(missing)}.")


def connection_update(*, connection: WiFlightConnection, actor: Membership, changed_fields: set[str],
                      password: str = "") -> WiFlightConnection:
    _require_admin_of(actor, connection)
    _check_connection(connection, password)
    with transaction.atomic():
        if password:
            connection.set_password(password)
            changed_fields = changed_fields | {"password"}
        connection.save()
        if changed_fields:
            # Field names only: values may be secrets.
            audit_record(organization=connection.organization, actor=actor.user, action="wiflight.settings",
                         target=connection, summary=f"Changed Wi-Flight settings: {', '.join(sorted(changed_fields))}")
        if changed_fields & (RESYNC_FIELDS | {"password"}) and connection.enabled:
            reservation_sync_club(connection.organization)
    return connection


def notify_secret_generate(*, connection: WiFlightConnection, actor: Membership) -> str:
    """A new notification secret, returned once to be shown once. The secret Wi-Flight is
    still configured with keeps working until the admin ends the rotation; generating again
    mid-rotation replaces only the new one."""
    _require_admin_of(actor, connection)
    if connection.pk is None:
        raise Invalid("connection_not_saved", "Save the Wi-Flight connection first.")
    secret = new_notify_secret()
    with transaction.atomic():
        connection = WiFlightConnection.objects.select_for_update().get(pk=connection.pk)
        if connection.notify_secret_encrypted and not connection.notify_previous_secret_encrypted:
            connection.notify_previous_secret_encrypted = connection.notify_secret_encrypted
        connection.notify_secret_encrypted = encrypt_text(secret)
        connection.save(update_fields=["notify_secret_encrypted", "notify_previous_secret_encrypted", "updated_at"])
        audit_record(organization=connection.organization, actor=actor.user, action="wiflight.notify_secret",
                     target=connection, summary="Generated a new Wi-Flight notification secret"
                     + (" (the previous one still works until the rotation ends)"
                        if connection.notify_previous_secret_encrypted else ""))
    return secret


def notify_rotation_end(*, connection: WiFlightConnection, actor: Membership) -> bool:
    _require_admin_of(actor, connection)
    with transaction.atomic():
        ended = WiFlightConnection.objects.filter(pk=connection.pk).exclude(notify_previous_secret_encrypted="").update(
            notify_previous_secret_encrypted="")
        if ended:
            audit_record(organization=connection.organization, actor=actor.user, action="wiflight.notify_rotation_end",
                         target=connection, summary="Ended the notification secret rotation: only the new secret works")
    return bool(ended)
