"""How often one client address may ask for an association.

`associate` is unauthenticated and each one stores a secret, so it is counted per client
address in the cache (the one shared between processes with CACHE_URL, as the sign-in limits
are). A relying party keeps its association for two weeks, so a handful per hour is plenty; one
over its budget is refused with a protocol error and carries on statelessly, verifying each
assertion with check_authentication. IPv6 clients are counted per /64, the block one
subscriber usually holds, so that rotating addresses inside it does not reset the count.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def client_bucket(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def associate_allowed(*, client_address: str) -> bool:
    """Counts this associate request; False once the address has used up its hour."""
    limit = settings.OPENID_ASSOCIATIONS_PER_ADDRESS
    if limit == 0:
        return False
    key = f"openid-provider:associate:{client_bucket(client_address)}"
    # add() starts the window only if none is running; incr() is atomic in Redis and locmem,
    # so concurrent requests cannot both take the last slot.
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit
