"""What to answer to a checkid request: one pure-ish decision, so every path is testable.

`CheckIDRequest.answer()` does not know who is signed in; this does. The provider only ever
asserts the signed-in member's own identity.
"""

import enum

from django.conf import settings
from openid.urinorm import urinorm

from openid_provider import realms


class Outcome(enum.Enum):
    APPROVE = "approve"              # answer(True) and send the browser back
    SETUP_NEEDED = "setup_needed"    # immediate mode, cannot approve silently
    CANCEL = "cancel"                # answer(False) back to a trusted relying party
    LOGIN = "login"                  # keep the request, sign in, resume
    CONSENT = "consent"              # ask the member about an untrusted realm
    REFUSED = "refused"              # someone else's identity at an untrusted realm: a page
    BLOCKED = "blocked"              # untrusted realm while OPENID_BLOCK_UNTRUSTED_REALMS
    BAD_REALM = "bad_realm"          # realm too broad to be meaningful (http://*.com/)


def same_identifier(a: str | None, b: str) -> bool:
    if not a:
        return False
    try:
        return urinorm(a) == urinorm(b)
    except ValueError:
        return False


def decide(*, user, oid_request, own_identity_url: str | None) -> Outcome:
    realm, return_to, immediate = oid_request.trust_root, oid_request.return_to, oid_request.immediate
    site_trusted = realms.is_site_trusted(realm, return_to)
    if not site_trusted:
        if not realms.is_sane(realm):
            return Outcome.BAD_REALM
        if settings.OPENID_BLOCK_UNTRUSTED_REALMS:
            return Outcome.BLOCKED
    if not user.is_authenticated:
        return Outcome.SETUP_NEEDED if immediate else Outcome.LOGIN
    if not oid_request.idSelect() and not same_identifier(oid_request.identity, own_identity_url):
        if immediate:
            return Outcome.SETUP_NEEDED
        return Outcome.CANCEL if site_trusted else Outcome.REFUSED
    if site_trusted or realms.is_trusted_by(user, realm):
        return Outcome.APPROVE
    return Outcome.SETUP_NEEDED if immediate else Outcome.CONSENT
