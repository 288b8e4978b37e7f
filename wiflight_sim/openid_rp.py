"""OpenID 2.0 relying party glue: a Django-backed store and a JSON-safe consumer session.

python3-openid's Consumer keeps Python objects (service endpoints, a Yadis service manager)
in the session it is given. Django's session serializer is JSON, so this adapter turns those
objects into plain dicts and back; no pickle of anything a browser could influence.
"""

import time

from django.db import IntegrityError, transaction
from openid.association import Association
from openid.consumer.discover import OpenIDServiceEndpoint
from openid.store import nonce as nonce_rules
from openid.store.interface import OpenIDStore
from openid.yadis.manager import YadisServiceManager

from wiflight_sim.models import OpenIDAssociation, OpenIDNonce

_ENDPOINT_FIELDS = ("claimed_id", "server_url", "type_uris", "local_id", "canonicalID", "used_yadis", "display_identifier")


class DjangoOpenIDStore(OpenIDStore):
    def storeAssociation(self, server_url, association):
        OpenIDAssociation.objects.update_or_create(
            server_url=server_url,
            handle=association.handle,
            defaults={
                "secret": association.secret,
                "issued": association.issued,
                "lifetime": association.lifetime,
                "assoc_type": association.assoc_type,
            },
        )

    def getAssociation(self, server_url, handle=None):
        rows = OpenIDAssociation.objects.filter(server_url=server_url)
        if handle is not None:
            rows = rows.filter(handle=handle)
        live = []
        for row in rows:
            association = Association(row.handle, bytes(row.secret), row.issued, row.lifetime, row.assoc_type)
            if association.expiresIn > 0:
                live.append(association)
            else:
                row.delete()
        return max(live, key=lambda a: a.issued) if live else None

    def removeAssociation(self, server_url, handle):
        return OpenIDAssociation.objects.filter(server_url=server_url, handle=handle).delete()[0] > 0

    def useNonce(self, server_url, timestamp, salt):
        if abs(timestamp - time.time()) > nonce_rules.SKEW:
            return False
        try:
            with transaction.atomic():
                OpenIDNonce.objects.create(server_url=server_url, timestamp=timestamp, salt=salt)
        except IntegrityError:
            return False  # a replayed assertion
        return True

    def cleanupNonces(self):
        return OpenIDNonce.objects.filter(timestamp__lt=int(time.time()) - nonce_rules.SKEW).delete()[0]

    def cleanupAssociations(self):
        now = int(time.time())
        expired = [row.pk for row in OpenIDAssociation.objects.all() if row.issued + row.lifetime < now]
        return OpenIDAssociation.objects.filter(pk__in=expired).delete()[0]


def _endpoint_to_dict(endpoint: OpenIDServiceEndpoint) -> dict:
    return {"__endpoint__": {name: getattr(endpoint, name) for name in _ENDPOINT_FIELDS}}


def _endpoint_from_dict(data: dict) -> OpenIDServiceEndpoint:
    endpoint = OpenIDServiceEndpoint()
    for name in _ENDPOINT_FIELDS:
        setattr(endpoint, name, data["__endpoint__"].get(name))
    endpoint.type_uris = list(endpoint.type_uris or [])
    return endpoint


def _encode(value):
    if isinstance(value, OpenIDServiceEndpoint):
        return _endpoint_to_dict(value)
    if isinstance(value, YadisServiceManager):
        current = value.current()
        return {
            "__manager__": {
                "starting_url": value.starting_url,
                "yadis_url": value.yadis_url,
                "session_key": value.session_key,
                "services": [_endpoint_to_dict(s) for s in value.services],
                "current": _endpoint_to_dict(current) if current is not None else None,
            }
        }
    return value


def _decode(value):
    if isinstance(value, dict) and "__endpoint__" in value:
        return _endpoint_from_dict(value)
    if isinstance(value, dict) and "__manager__" in value:
        data = value["__manager__"]
        manager = YadisServiceManager(
            data["starting_url"], data["yadis_url"], [_endpoint_from_dict(s) for s in data["services"]], data["session_key"]
        )
        manager._current = _endpoint_from_dict(data["current"]) if data["current"] else None
        return manager
    return value


class ConsumerSession:
    """The mapping python3-openid's Consumer expects, stored in Django's session as JSON."""

    def __init__(self, django_session):
        self._session = django_session

    def __getitem__(self, key):
        return _decode(self._session[key])

    def get(self, key, default=None):
        return _decode(self._session[key]) if key in self._session else default

    def __setitem__(self, key, value):
        self._session[key] = _encode(value)

    def __delitem__(self, key):
        del self._session[key]

    def __contains__(self, key):
        return key in self._session
