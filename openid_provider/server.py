"""The python3-openid Server, configured the one way Flightline uses it."""

import secrets
import time

from openid.association import Association, encrypted_negotiator, getSecretSize
from openid.server.server import Server, Signatory

from openid_provider.associate_requests import ProviderDecoder
from openid_provider.public_urls import endpoint_url
from openid_provider.store import DjangoOpenIDStore


class PlainHandleSignatory(Signatory):
    """Makes association handles of plain characters.

    python3-openid 3.2.0 builds handles like `{HMAC-SHA1}{5f..}{b'abc=='}` (a bytes repr);
    relying parties accept them but URL filters that reject quotes do not.
    """

    def createAssociation(self, dumb=True, assoc_type="HMAC-SHA1"):
        secret = secrets.token_bytes(getSecretSize(assoc_type))
        handle = "{%s}{%x}{%s}" % (assoc_type, int(time.time()), secrets.token_urlsafe(12))
        assoc = Association.fromExpiresIn(self.SECRET_LIFETIME, handle, secret, assoc_type)
        self.store.storeAssociation(self._dumb_key if dumb else self._normal_key, assoc)
        return assoc


def provider_server() -> Server:
    op_endpoint = endpoint_url()
    server = Server(DjangoOpenIDStore(), op_endpoint, signatoryClass=PlainHandleSignatory,
                    decoderClass=ProviderDecoder)
    if not op_endpoint.startswith("https://"):
        # Without TLS a "no-encryption" association would send the MAC secret in clear text.
        server.negotiator = encrypted_negotiator.copy()
    return server
