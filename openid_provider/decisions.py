"""What to answer to a checkid request: one pure-ish decision, so every path is testable.

`CheckIDRequest.answer()` does not know who is signed in; this does. The provider only ever
asserts the signed-in member's own identity, and the browser is sent back to a return_to only
where the site or the member trusts the realm (or once the member chose to go back there):
any other redirect would be an open redirect for whoever builds the request.
"""

import enum

from django.conf import settings
from openid.server.server import IDENTIFIER_SELECT
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
    NOT_IMMEDIATE = "not_immediate"  # immediate mode, realm neither the site nor the member trusts: a page


def same_identifier(a: str | None, b: str) -> bool:
    if not a:
        return False
    try:
        return urinorm(a) == urinorm(b)
    except ValueError:
        return False


def asks_for_own_identity(oid_request, own_identity_url: str | None) -> bool:
    """Both identifiers are the member's own URL, or both are identifier_select.

    A signed assertion carries `claimed_id` as well as `identity`: signing the member's own
    identity with someone else's claimed_id would sign that someone in at any relying party
    that does not re-run discovery on claimed_id. OpenID 1 has no claimed_id. Delegation
    (a claimed_id of the member's own elsewhere) is not supported."""
    identity = oid_request.identity
    claimed_id = identity if oid_request.message.isOpenID1() else oid_request.claimed_id
    if IDENTIFIER_SELECT in (identity, claimed_id):
        return identity == claimed_id == IDENTIFIER_SELECT
    return same_identifier(identity, own_identity_url) and same_identifier(claimed_id, own_identity_url)


def decide(*, user, oid_request, own_identity_url: str | None) -> Outcome:
    realm, return_to, immediate = oid_request.trust_root, oid_request.return_to, oid_request.immediate
    site_trusted = realms.is_site_trusted(realm, return_to)
    if not site_trusted:
        if not realms.is_sane(realm):
            return Outcome.BAD_REALM
        if settings.OPENID_BLOCK_UNTRUSTED_REALMS:
            return Outcome.BLOCKED
    vouched_for = site_trusted or (user.is_authenticated and realms.is_trusted_by(user, realm))
    if immediate and not vouched_for:
        # Every immediate answer is a redirect, and nobody has vouched for this return_to.
        return Outcome.NOT_IMMEDIATE
    if not user.is_authenticated:
        return Outcome.SETUP_NEEDED if immediate else Outcome.LOGIN
    if not asks_for_own_identity(oid_request, own_identity_url):
        if immediate:
            return Outcome.SETUP_NEEDED
        return Outcome.CANCEL if site_trusted else Outcome.REFUSED
    if vouched_for:
        return Outcome.APPROVE
    return Outcome.CONSENT
