"""Which relying parties (realms) get an assertion without asking the member.

Realms listed in OPENID_TRUSTED_REALMS (Wi-Flight by default) are trusted site-wide: the
integration document asks the club's site to "automatically authorize users who are already
logged in". Any other realm needs the member's consent, remembered per realm, unless
OPENID_BLOCK_UNTRUSTED_REALMS refuses them outright.
"""

import ipaddress

from django.conf import settings
from openid.server.trustroot import TrustRoot

from openid_provider.models import TrustedRealm


def is_site_trusted(realm: str, return_to: str | None) -> bool:
    """True when both the realm and the return_to lie inside one configured trusted realm."""
    for trusted in settings.OPENID_TRUSTED_REALMS:
        root = TrustRoot.parse(trusted)
        if root is None:
            continue
        if root.validateURL(realm) and (return_to is None or root.validateURL(return_to)):
            return True
    return False


def is_sane(realm: str) -> bool:
    """Refuse realms such as `http://*.com/` that would cover a whole top-level domain.

    python3-openid's isSane() calls every IP-address host insane; an IP address without a
    wildcard names exactly one host, so it gets the consent page like any other site."""
    root = TrustRoot.parse(realm)
    if root is None:
        return False
    try:
        ipaddress.ip_address(root.host.strip("[]"))
    except ValueError:
        return root.isSane()
    return not root.wildcard


def is_trusted_by(user, realm: str) -> bool:
    return TrustedRealm.objects.filter(user=user, realm=realm).exists()
