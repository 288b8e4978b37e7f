"""Relying-party store for python3-openid: associations and used nonces, in Django's database.

The library's own SQL store commits on its own connection and fights Django's transactions.
"""

from django.db import models


class OpenIDAssociation(models.Model):
    server_url = models.CharField(max_length=500)
    handle = models.CharField(max_length=255)
    secret = models.BinaryField()
    issued = models.BigIntegerField()
    lifetime = models.BigIntegerField()
    assoc_type = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["server_url", "handle"], name="openid_assoc_unique")]


class OpenIDNonce(models.Model):
    server_url = models.CharField(max_length=500)
    timestamp = models.BigIntegerField()
    salt = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["server_url", "timestamp", "salt"], name="openid_nonce_unique")]
