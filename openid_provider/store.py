"""python3-openid's store interface on Django models.

The SQL store shipped with the library opens and commits its own transactions, which fights
Django's transaction handling (and the test suite's): these few methods use the ORM instead.
Associations are capped at OPENID_MAX_ASSOCIATIONS rows, so that no flood of `associate`
requests can grow the table without bound.
"""

import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from openid.association import Association as LibraryAssociation
from openid.store import nonce as nonce_rules
from openid.store.interface import OpenIDStore

from openid_provider.models import Association, UsedNonce


def _to_library(row: Association) -> LibraryAssociation:
    # PostgreSQL hands binary columns back as memoryview; the library wants bytes.
    return LibraryAssociation(row.handle, bytes(row.secret), row.issued, row.lifetime, row.assoc_type)


def _keep_at_most(cap: int) -> None:
    """Past the cap the expired associations go first, then the oldest.

    Pruning a live one costs its relying party nothing but a round trip: python3-openid's server
    answers a request naming an unknown handle with a private association and
    `invalidate_handle`, and the relying party verifies with check_authentication. Concurrent
    writers may overshoot the cap by one row each until the next store."""
    if Association.objects.count() <= cap:
        return
    Association.objects.filter(issued__lte=int(time.time()) - F("lifetime")).delete()
    excess = Association.objects.count() - cap
    if excess > 0:
        oldest = Association.objects.order_by("issued", "pk").values("pk")[:excess]
        Association.objects.filter(pk__in=oldest).delete()


class DjangoOpenIDStore(OpenIDStore):
    def storeAssociation(self, server_url, association):
        Association.objects.update_or_create(
            server_url=server_url,
            handle=association.handle,
            defaults={
                "secret": association.secret,
                "issued": association.issued,
                "lifetime": association.lifetime,
                "assoc_type": association.assoc_type,
            },
        )
        _keep_at_most(settings.OPENID_MAX_ASSOCIATIONS)

    def getAssociation(self, server_url, handle=None):
        rows = Association.objects.filter(server_url=server_url)
        if handle is not None:
            rows = rows.filter(handle=handle)
        now = int(time.time())
        row = rows.filter(issued__gt=now - F("lifetime")).order_by("-issued").first()
        return _to_library(row) if row else None

    def removeAssociation(self, server_url, handle):
        deleted, _ = Association.objects.filter(server_url=server_url, handle=handle).delete()
        return deleted > 0

    def useNonce(self, server_url, timestamp, salt):
        if abs(timestamp - time.time()) > nonce_rules.SKEW:
            return False
        try:
            # The savepoint keeps a duplicate from breaking the caller's transaction.
            with transaction.atomic():
                UsedNonce.objects.create(server_url=server_url, timestamp=timestamp, salt=salt)
        except IntegrityError:
            return False
        return True

    def cleanupNonces(self):
        cutoff = int(time.time()) - nonce_rules.SKEW
        deleted, _ = UsedNonce.objects.filter(timestamp__lt=cutoff).delete()
        return deleted

    def cleanupAssociations(self):
        now = int(time.time())
        deleted, _ = Association.objects.filter(issued__lte=now - F("lifetime")).delete()
        return deleted
