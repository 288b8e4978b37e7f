import time

import pytest
from django.core.management import call_command
from django.test import Client
from openid.association import Association as LibraryAssociation
from openid.association import SessionNegotiator
from openid.kvform import kvToDict

from openid_provider.models import Association
from openid_provider.services import identity_url_for
from openid_provider.server import PlainHandleSignatory, provider_server
from openid_provider.store import DjangoOpenIDStore
from openid_provider.tasks import openid_cleanup_task
from tests.openid_provider.relying_party import ENDPOINT, HANDLE_RE, RelyingParty


@pytest.mark.parametrize("assoc_type, session_type", [("HMAC-SHA1", "DH-SHA1"), ("HMAC-SHA256", "DH-SHA256")])
def test_consumer_associates(fetcher, pilot, assoc_type, session_type):
    rp = RelyingParty(negotiator=SessionNegotiator([(assoc_type, session_type)]))
    auth_request = rp.consumer().begin(identity_url_for(pilot.user))
    assert auth_request.assoc is not None
    assert auth_request.assoc.assoc_type == assoc_type
    stored = Association.objects.get(handle=auth_request.assoc.handle)
    assert stored.assoc_type == assoc_type
    assert bytes(stored.secret) == auth_request.assoc.secret
    assert HANDLE_RE.match(stored.handle), stored.handle


def _associate(**fields):
    data = {"openid.ns": "http://specs.openid.net/auth/2.0", "openid.mode": "associate", **fields}
    return Client().post("/openid/endpoint/", data)


def test_no_encryption_is_refused_over_http(openid_settings, db):
    response = _associate(**{"openid.assoc_type": "HMAC-SHA256", "openid.session_type": "no-encryption"})
    answer = kvToDict(response.content)
    assert answer["error_code"] == "unsupported-type"
    assert answer["session_type"].startswith("DH-")
    assert "mac_key" not in answer and not Association.objects.exists()


def test_no_encryption_allowed_when_published_over_https(settings, db):
    settings.PUBLIC_BASE_URL = "https://club.example"
    response = _associate(**{"openid.assoc_type": "HMAC-SHA256", "openid.session_type": "no-encryption"})
    assert "mac_key" in kvToDict(response.content)


def test_handles_are_plain_characters(db):
    signatory = PlainHandleSignatory(DjangoOpenIDStore())
    for assoc_type in ("HMAC-SHA1", "HMAC-SHA256"):
        for dumb in (True, False):
            handle = signatory.createAssociation(dumb=dumb, assoc_type=assoc_type).handle
            assert HANDLE_RE.match(handle) and "'" not in handle
            assert handle.startswith("{%s}{" % assoc_type)


def test_server_uses_the_published_endpoint(openid_settings):
    server = provider_server()
    assert server.op_endpoint == ENDPOINT
    assert isinstance(server.signatory, PlainHandleSignatory)


def _library_assoc(handle, *, issued, lifetime=600):
    return LibraryAssociation(handle, b"s" * 20, issued, lifetime, "HMAC-SHA1")


def test_store_round_trip_expiry_and_removal(db):
    store = DjangoOpenIDStore()
    now = int(time.time())
    store.storeAssociation("k", _library_assoc("{old}", issued=now - 100))
    store.storeAssociation("k", _library_assoc("{new}", issued=now))
    store.storeAssociation("k", _library_assoc("{expired}", issued=now - 10_000))
    assert store.getAssociation("k").handle == "{new}"
    assert store.getAssociation("k", "{old}").secret == b"s" * 20
    assert store.getAssociation("k", "{expired}") is None
    assert store.getAssociation("other", "{old}") is None
    assert store.removeAssociation("k", "{old}") is True
    assert store.removeAssociation("k", "{old}") is False


def test_use_nonce_refuses_replay_and_old_timestamps(db):
    store = DjangoOpenIDStore()
    now = int(time.time())
    assert store.useNonce("http://op/", now, "salt") is True
    assert store.useNonce("http://op/", now, "salt") is False
    assert store.useNonce("http://op/", now - 24 * 3600, "old") is False


def test_cleanup_command_and_task_delete_expired_only(db, capsys):
    store = DjangoOpenIDStore()
    now = int(time.time())
    store.storeAssociation("k", _library_assoc("{live}", issued=now))
    store.storeAssociation("k", _library_assoc("{dead1}", issued=now - 10_000))
    call_command("openid_cleanup")
    assert "Deleted 1 expired associations" in capsys.readouterr().out
    store.storeAssociation("k", _library_assoc("{dead2}", issued=now - 10_000))
    openid_cleanup_task()
    assert list(Association.objects.values_list("handle", flat=True)) == ["{live}"]


def test_associations_are_not_in_the_admin():
    from django.contrib import admin

    from openid_provider.models import OpenIDIdentity, TrustedRealm, UsedNonce
    for model in (Association, OpenIDIdentity, TrustedRealm, UsedNonce):
        assert not admin.site.is_registered(model)

