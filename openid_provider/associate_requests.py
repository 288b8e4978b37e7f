"""`associate` requests in the default Diffie-Hellman group only.

python3-openid accepts any `dh_modulus` and `dh_gen` the relying party sends, and computes in
that group while it decodes the request: a 16,384-bit modulus cost 15 s of CPU for one small
unauthenticated POST. Here the group is checked before any modular arithmetic, and anything
but the default group of OpenID 2.0 (appendix B, the one every relying party library uses)
gets the protocol's `unsupported-type` answer, which names the same session type so that a
relying party can retry without a modulus. The relying party's public key must lie inside the
group (1 < y < p - 1); y = 1 or p - 1 would make the shared secret, and so the MAC key, public.
"""

from openid import cryptutil
from openid.dh import DiffieHellman
from openid.message import OPENID_NS
from openid.server.server import (
    AssociateRequest,
    Decoder,
    DiffieHellmanSHA1ServerSession,
    DiffieHellmanSHA256ServerSession,
    ProtocolError,
)

DEFAULT_GROUP = (DiffieHellman.DEFAULT_MOD, DiffieHellman.DEFAULT_GEN)


class UnsupportedDHGroup(ProtocolError):
    """A direct error (status 400) carrying `error_code: unsupported-type` and the session and
    association type to retry with, as OpenID 2.0 §8.2.4 describes."""

    def __init__(self, message, *, session_type: str, assoc_type: str):
        super().__init__(message, "Only the default Diffie-Hellman group is supported: "
                                  "send no openid.dh_modulus or openid.dh_gen.")
        self.session_type, self.assoc_type = session_type, assoc_type

    def toMessage(self):
        reply = super().toMessage()
        reply.setArg(OPENID_NS, "error_code", "unsupported-type")
        reply.setArg(OPENID_NS, "session_type", self.session_type)
        reply.setArg(OPENID_NS, "assoc_type", self.assoc_type)
        return reply


def _uses_default_group(message) -> bool:
    # Decoding base64 is linear in the request size; only pow() with a big modulus is costly.
    sent = (message.getArg(OPENID_NS, "dh_modulus"), message.getArg(OPENID_NS, "dh_gen"))
    return all(value is None or cryptutil.base64ToLong(value) == wanted for value, wanted in zip(sent, DEFAULT_GROUP))


class _DefaultGroupOnly:
    @classmethod
    def fromMessage(cls, message):
        if not _uses_default_group(message):
            raise UnsupportedDHGroup(message, session_type=cls.session_type, assoc_type=cls.allowed_assoc_types[0])
        session = super().fromMessage(message)
        if not 1 < session.consumer_pubkey < DiffieHellman.DEFAULT_MOD - 1:
            raise ValueError("dh_consumer_public is not an element of the group")
        return session


class DefaultGroupSHA1Session(_DefaultGroupOnly, DiffieHellmanSHA1ServerSession):
    pass


class DefaultGroupSHA256Session(_DefaultGroupOnly, DiffieHellmanSHA256ServerSession):
    pass


class DefaultGroupAssociateRequest(AssociateRequest):
    session_classes = {
        **AssociateRequest.session_classes,
        "DH-SHA1": DefaultGroupSHA1Session,
        "DH-SHA256": DefaultGroupSHA256Session,
    }


class ProviderDecoder(Decoder):
    _handlers = {**Decoder._handlers, "associate": DefaultGroupAssociateRequest.fromMessage}
