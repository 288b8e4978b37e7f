"""Identity URLs, realms a member trusts, and the provider's association secrets.

None of these models is registered in the admin: association secrets sign assertions, and
identity slugs are permanent, so neither should be edited by hand.
"""

from django.conf import settings
from django.db import models


class OpenIDIdentity(models.Model):
    """A member's permanent OpenID identifier: `<PUBLIC_BASE_URL>/openid/id/<slug>/`.

    The slug is random and unique, and a row is never deleted (PROTECT): relying parties such
    as Wi-Flight keep the URL as the account key, so handing an old URL to someone else would
    sign them in as the previous owner. Deactivate a user instead of deleting them.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="openid_identity")
    slug = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "OpenID identity"
        verbose_name_plural = "OpenID identities"

    def __str__(self) -> str:
        return self.slug


class TrustedRealm(models.Model):
    """A relying party (realm) a member agreed to sign in to without being asked again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="openid_trusted_realms")
    realm = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["realm"]
        constraints = [models.UniqueConstraint(fields=["user", "realm"], name="openid_trusted_realm_unique")]

    def __str__(self) -> str:
        return self.realm


class Association(models.Model):
    """An association secret, in the shape python3-openid's store interface expects.

    `server_url` is the library's own key ("normal" or "dumb" mode), `issued` and `lifetime`
    are Unix seconds as in `openid.association.Association`.
    """

    server_url = models.CharField(max_length=255)
    handle = models.CharField(max_length=255)
    secret = models.BinaryField()
    issued = models.BigIntegerField()
    lifetime = models.IntegerField()
    assoc_type = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["server_url", "handle"], name="openid_association_unique")]
        indexes = [models.Index(fields=["issued"], name="openid_association_issued")]

    def __str__(self) -> str:
        return self.handle


class UsedNonce(models.Model):
    """Nonces seen by `useNonce`. The provider itself never checks nonces (relying parties
    do), but the store interface has the method and it must refuse a replay if ever called."""

    server_url = models.CharField(max_length=2000)
    timestamp = models.BigIntegerField()
    salt = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["server_url", "timestamp", "salt"], name="openid_nonce_unique"),
        ]
