"""`associate` cannot tie up a server process or fill the database.

The attack: one unauthenticated 5.5 kB POST with a 16,384-bit Diffie-Hellman modulus kept a
process busy for 15 s, and every associate stored a row. Now only the default group is
accepted (refused before any modular arithmetic), associate requests are limited per client
address, and the table is capped.
"""

import time

import pytest
from django.test import Client
from openid import cryptutil
from openid.association import Association as LibraryAssociation
from openid.consumer.consumer import SUCCESS
from openid.dh import DiffieHellman
from openid.kvform import kvToDict

from openid_provider.models import Association
from openid_provider.services import identity_url_for
from openid_provider.store import DjangoOpenIDStore
from tests.conftest import client_for
from tests.openid_provider.relying_party import RelyingParty

NS = "http://specs.openid.net/auth/2.0"
SESSIONS = [("DH-SHA1", "HMAC-SHA1"), ("DH-SHA256", "HMAC-SHA256")]
DEFAULT_MOD, DEFAULT_GEN = DiffieHellman.DEFAULT_MOD, DiffieHellman.DEFAULT_GEN


def _b64(number: int) -> str:
    return cryptutil.longToBase64(number).decode()


def _associate(client=None, *, session_type="DH-SHA256", assoc_type="HMAC-SHA256", **dh):
    fields = {"openid.ns": NS, "openid.mode": "associate", "openid.session_type": session_type,
              "openid.assoc_type": assoc_type,
              "openid.dh_consumer_public": _b64(DiffieHellman.fromDefaults().public)}
    fields.update({f"openid.{name}": value for name, value in dh.items()})
    return (client or Client()).post("/openid/endpoint/", fields)


def _answer(response) -> dict:
    return kvToDict(response.content)


@pytest.fixture
def no_arithmetic_with_foreign_groups(monkeypatch):
    """Fails the test as soon as the provider starts a modular exponentiation in a group the
    caller chose: that is where the 15 s went."""
    original = DiffieHellman._setPrivate

    def guarded(self, private):
        if (self.modulus, self.generator) != (DEFAULT_MOD, DEFAULT_GEN):
            pytest.fail(f"modular exponentiation in the caller's group ({self.modulus.bit_length()}-bit modulus)")
        return original(self, private)

    monkeypatch.setattr(DiffieHellman, "_setPrivate", guarded)


# --- Only the default Diffie-Hellman group ------------------------------------------------------

@pytest.mark.parametrize("bits", [2048, 4096, 16384])
@pytest.mark.parametrize("session_type, assoc_type", SESSIONS)
def test_foreign_modulus_is_refused_before_any_arithmetic(openid_settings, db, no_arithmetic_with_foreign_groups,
                                                          bits, session_type, assoc_type):
    modulus = (1 << (bits - 1)) | 1
    response = _associate(session_type=session_type, assoc_type=assoc_type,
                          dh_modulus=_b64(modulus), dh_gen=_b64(2), dh_consumer_public=_b64(5))
    assert response.status_code == 400
    answer = _answer(response)
    assert answer["error_code"] == "unsupported-type"
    # The protocol's hint for a retry: the same session type, in the default group.
    assert (answer["session_type"], answer["assoc_type"]) == (session_type, assoc_type)
    assert "enc_mac_key" not in answer and "dh_server_public" not in answer
    assert not Association.objects.exists()


def test_foreign_generator_is_refused_too(openid_settings, db, no_arithmetic_with_foreign_groups):
    response = _associate(dh_modulus=_b64(DEFAULT_MOD), dh_gen=_b64(5))
    assert response.status_code == 400 and _answer(response)["error_code"] == "unsupported-type"
    assert not Association.objects.exists()


def test_default_group_sent_explicitly_is_accepted(openid_settings, db):
    response = _associate(dh_modulus=_b64(DEFAULT_MOD), dh_gen=_b64(DEFAULT_GEN))
    assert response.status_code == 200
    assert "enc_mac_key" in _answer(response)
    assert Association.objects.count() == 1


@pytest.mark.parametrize("public", [0, 1, DEFAULT_MOD - 1, DEFAULT_MOD, DEFAULT_MOD << 4000],
                         ids=["0", "1", "p-1", "p", "huge"])
def test_consumer_public_key_outside_the_group_is_refused(openid_settings, db, public):
    response = _associate(dh_consumer_public=_b64(public))
    assert response.status_code == 400
    assert _answer(response)["mode"] == "error" and "enc_mac_key" not in _answer(response)
    assert not Association.objects.exists()


# --- Per client address ---------------------------------------------------------------------------

def test_associate_is_limited_per_client_address(openid_settings, db, settings):
    settings.OPENID_ASSOCIATIONS_PER_ADDRESS = 3
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert "enc_mac_key" in _answer(_associate(attacker))
    refused = _associate(attacker)
    assert refused.status_code == 400
    assert _answer(refused)["mode"] == "error" and "enc_mac_key" not in _answer(refused)
    assert Association.objects.count() == 3
    # Other addresses have their own budget.
    assert "enc_mac_key" in _answer(_associate(Client(REMOTE_ADDR="198.51.100.2")))


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(openid_settings, db, settings):
    """Behind the TLS proxy every request comes from the proxy's address: the budget follows
    the site's TRUSTED_PROXY_COUNT rule, as the sign-in limits do."""
    settings.OPENID_ASSOCIATIONS_PER_ADDRESS = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    first = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert "enc_mac_key" in _answer(_associate(first))
    assert "enc_mac_key" not in _answer(_associate(first))
    assert "enc_mac_key" in _answer(_associate(second))


def test_the_reported_flood_stores_a_handful_of_rows(openid_settings, db, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    answers = [_answer(_associate(attacker)) for _ in range(50)]
    granted = sum("enc_mac_key" in answer for answer in answers)
    assert granted == settings.OPENID_ASSOCIATIONS_PER_ADDRESS < 50
    assert Association.objects.count() == granted


def test_ipv6_addresses_share_the_budget_of_their_64(openid_settings, db, settings):
    settings.OPENID_ASSOCIATIONS_PER_ADDRESS = 2
    for host in ("2001:db8:1:2::1", "2001:db8:1:2::2"):
        assert "enc_mac_key" in _answer(_associate(Client(REMOTE_ADDR=host)))
    assert "enc_mac_key" not in _answer(_associate(Client(REMOTE_ADDR="2001:db8:1:2:ffff::3")))
    assert "enc_mac_key" in _answer(_associate(Client(REMOTE_ADDR="2001:db8:1:3::1")))


def test_relying_party_over_its_limit_still_signs_in_statelessly(fetcher, pilot, settings):
    settings.OPENID_ASSOCIATIONS_PER_ADDRESS = 0
    rp = RelyingParty()
    auth_request = rp.consumer().begin(identity_url_for(pilot.user))
    assert auth_request.assoc is None
    response = client_for(pilot).get(auth_request.redirectURL(rp.realm, rp.return_to))
    assert rp.complete(response).status == SUCCESS


# --- In total ------------------------------------------------------------------------------------

def _library_assoc(handle, *, issued, lifetime=600):
    return LibraryAssociation(handle, b"s" * 32, issued, lifetime, "HMAC-SHA256")


def _handles() -> set[str]:
    return set(Association.objects.values_list("handle", flat=True))


def test_store_is_capped_pruning_expired_first_then_oldest(db, settings):
    settings.OPENID_MAX_ASSOCIATIONS = 4
    store, now = DjangoOpenIDStore(), int(time.time())
    for handle, age in (("{expired}", 10_000), ("{oldest}", 300), ("{older}", 200), ("{old}", 100)):
        store.storeAssociation("k", _library_assoc(handle, issued=now - age))
    assert len(_handles()) == 4
    store.storeAssociation("k", _library_assoc("{new1}", issued=now))
    assert _handles() == {"{oldest}", "{older}", "{old}", "{new1}"}
    store.storeAssociation("k", _library_assoc("{new2}", issued=now))
    assert _handles() == {"{older}", "{old}", "{new1}", "{new2}"}


def test_associations_from_many_addresses_stay_under_the_cap(openid_settings, db, settings):
    settings.OPENID_MAX_ASSOCIATIONS = 5
    handles = []
    for host in range(1, 13):
        answer = _answer(_associate(Client(REMOTE_ADDR=f"192.0.2.{host}")))
        handles.append(answer["assoc_handle"])
        assert Association.objects.count() <= 5
    # The newest, which a relying party is about to use, is never the one pruned.
    assert handles[-1] in _handles()


def test_relying_party_whose_association_was_pruned_still_signs_in(rp, pilot, settings):
    settings.OPENID_MAX_ASSOCIATIONS = 1
    auth_request = rp.consumer().begin(identity_url_for(pilot.user))
    assert auth_request.assoc is not None
    _associate(Client(REMOTE_ADDR="192.0.2.99"))  # pushes the relying party's association out
    assert not Association.objects.filter(handle=auth_request.assoc.handle).exists()
    response = client_for(pilot).get(auth_request.redirectURL(rp.realm, rp.return_to))
    assert rp.complete(response).status == SUCCESS
