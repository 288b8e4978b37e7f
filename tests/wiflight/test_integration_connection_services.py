"""The connection services protect themselves: another club's connection is not found, a
member who is not an admin is not allowed, and the connection's own rules carry codes."""

import pytest

from core.errors import Invalid, NotAllowed, NotFound
from integrations.wiflight.connection_services import (
    connection_for, connection_update, notify_rotation_end, notify_secret_generate)
from integrations.wiflight.models import WiFlightConnection
from clubs.models import AuditEvent

SECRET_BEFORE = "old-notify-secret"


@pytest.fixture
def conn(club):
    from core.crypto import encrypt_text

    c = WiFlightConnection(organization=club, enabled=False, base_url="https://wf.example.org",
                           username="fleet@tac.example.com", name_domain="tac.example.com", match_domain="m-tac",
                           notify_secret_encrypted=encrypt_text(SECRET_BEFORE),
                           notify_previous_secret_encrypted=encrypt_text("older"))
    c.set_password("pw")
    c.save()
    return c


CALLS = {
    "connection_update": lambda conn, actor: connection_update(connection=conn, actor=actor,
                                                               changed_fields={"notify_profile"}),
    "notify_secret_generate": lambda conn, actor: notify_secret_generate(connection=conn, actor=actor),
    "notify_rotation_end": lambda conn, actor: notify_rotation_end(connection=conn, actor=actor),
}


def _unchanged(conn):
    fresh = WiFlightConnection.objects.get(pk=conn.pk)
    assert (fresh.notify_secret, fresh.notify_previous_secret) == (SECRET_BEFORE, "older")
    assert not AuditEvent.objects.filter(action__startswith="wiflight.").exists()


@pytest.mark.parametrize("service", sorted(CALLS))
def test_an_admin_of_another_club_finds_nothing(service, conn, outsider):
    with pytest.raises(NotFound) as refused:
        CALLS[service](conn, outsider)
    assert refused.value.code == "not_found"
    _unchanged(conn)


@pytest.mark.parametrize("service", sorted(CALLS))
def test_members_who_are_not_admins_are_not_allowed(service, conn, dispatcher, pilot):
    for actor in (dispatcher, pilot):
        with pytest.raises(NotAllowed) as refused:
            CALLS[service](conn, actor)
        assert refused.value.code == "not_allowed"
    _unchanged(conn)


def test_an_inactive_admin_is_not_allowed(conn, admin):
    admin.is_active = False
    with pytest.raises(NotAllowed) as refused:
        notify_secret_generate(connection=conn, actor=admin)
    assert refused.value.code == "actor_inactive"


def test_an_admin_changes_the_connection(conn, admin):
    conn.notify_profile = "flightline"
    connection_update(connection=conn, actor=admin, changed_fields={"notify_profile"})
    assert WiFlightConnection.objects.get(pk=conn.pk).notify_profile == "flightline"
    assert AuditEvent.objects.get(action="wiflight.settings").actor == admin.user
    assert notify_rotation_end(connection=conn, actor=admin) is True


def test_moving_the_connection_needs_the_password(conn, admin):
    conn.base_url = "https://elsewhere.example.net"
    with pytest.raises(Invalid) as refused:
        connection_update(connection=conn, actor=admin, changed_fields={"base_url"})
    assert (refused.value.code, refused.value.field) == ("connection_password_required", "password")
    assert WiFlightConnection.objects.get(pk=conn.pk).base_url == "https://wf.example.org"
    connection_update(connection=conn, actor=admin, changed_fields={"base_url"}, password="pw2")
    assert WiFlightConnection.objects.get(pk=conn.pk).password == "pw2"


def test_a_plain_http_address_is_refused_in_production(conn, admin, settings):
    settings.DEBUG = False
    conn.base_url = "http://wf.example.org"
    with pytest.raises(Invalid) as refused:
        connection_update(connection=conn, actor=admin, changed_fields={"base_url"}, password="pw")
    assert (refused.value.code, refused.value.field) == ("https_required", "base_url")


@pytest.mark.parametrize("base_url", ["https://10.0.0.1", "https://169.254.169.254", "https://localhost:8001",
                                      "https://[::1]", "https://127.0.0.1:8001"])
def test_an_address_flightline_may_not_connect_to_is_refused_on_save(conn, admin, settings, base_url):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    conn.base_url = base_url
    with pytest.raises(Invalid) as refused:
        connection_update(connection=conn, actor=admin, changed_fields={"base_url"}, password="pw")
    assert (refused.value.code, refused.value.field) == ("outbound_address_refused", "base_url")
    assert WiFlightConnection.objects.get(pk=conn.pk).base_url == "https://wf.example.org"


def test_an_allowed_network_may_be_saved(conn, admin, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    conn.base_url = "https://127.0.0.1:8001"
    connection_update(connection=conn, actor=admin, changed_fields={"base_url"}, password="pw")
    assert WiFlightConnection.objects.get(pk=conn.pk).base_url == "https://127.0.0.1:8001"


def test_switching_on_needs_username_domain_and_password(club, admin):
    new = connection_for(club)
    new.enabled, new.username, new.name_domain = True, "", ""
    with pytest.raises(Invalid) as refused:
        connection_update(connection=new, actor=admin, changed_fields={"enabled"})
    assert refused.value.code == "connection_incomplete"
    assert "the fleet administrator username, the reservation name domain, the password" in refused.value.message
    assert not WiFlightConnection.objects.exists()


def test_a_secret_needs_a_saved_connection(club, admin):
    with pytest.raises(Invalid) as refused:
        notify_secret_generate(connection=connection_for(club), actor=admin)
    assert refused.value.code == "connection_not_saved"
