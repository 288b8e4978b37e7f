"""The OpenID 2.0 endpoint, the resume point after signing in, and the consent decision."""

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from openid.server.server import (
    ENCODE_KVFORM,
    AssociateRequest,
    CheckIDRequest,
    MalformedReturnURL,
    MalformedTrustRoot,
    ProtocolError,
    UntrustedReturnURL,
)

from openid_provider import pending
from openid_provider.decisions import Outcome, decide
from openid_provider.public_urls import server_xrds_url
from openid_provider.rate_limits import associate_allowed
from openid_provider.server import provider_server
from openid_provider.services import identity_url_for, realm_trust
from openid_provider.views.discovery import server_xrds, wants_xrds
from openid_provider.views.responses import error_page, openid_response

BAD_REQUEST = "Not a valid OpenID request"
TOO_MANY_ASSOCIATIONS = ("Too many associate requests from this address: try again in an hour, "
                         "or verify assertions with check_authentication meanwhile.")


@csrf_exempt  # relying parties POST associate and check_authentication directly
@require_http_methods(["GET", "POST"])
def endpoint(request):
    query = (request.POST if request.method == "POST" else request.GET).dict()
    if not query:
        if wants_xrds(request):
            return server_xrds(request)
        response = render(request, "openid_provider/endpoint.html")
        response["X-XRDS-Location"] = server_xrds_url()
        return response
    server = provider_server()
    try:
        oid_request = _decode(request, server, query)
    except DecodeFailed as failed:
        return failed.response
    if not isinstance(oid_request, CheckIDRequest):
        # associate and check_authentication: server-to-server, answered in key-value form
        if isinstance(oid_request, AssociateRequest) and not associate_allowed(
                client_address=_client_address(request)):
            return _protocol_error(request, server, ProtocolError(oid_request.message, TOO_MANY_ASSOCIATIONS))
        try:
            return openid_response(request, server, server.handleRequest(oid_request), direct=True)
        except ProtocolError as exc:  # e.g. an OpenID 1 associate the negotiator refuses
            return _protocol_error(request, server, exc)
    return _checkid(request, server, oid_request)


@login_required
def resume(request):
    """Where the sign-in page sends the member back to: a fixed internal URL, never the
    relying party's, so `next` can never become an open redirect."""
    args = pending.load(request)
    if args is None:
        return error_page(request, title="No sign-in waiting",
                          message="There is no OpenID sign-in waiting for you. Start again from the other site.")
    server = provider_server()
    try:
        oid_request = _decode_checkid(request, server, args)
    except DecodeFailed as failed:
        pending.clear(request)
        return failed.response
    return _checkid(request, server, oid_request)


@login_required
@require_POST
def decide_view(request):
    args = pending.load(request, token=request.POST.get("token", ""))
    if args is None:
        return error_page(request, title="Sign-in request expired",
                          message="This sign-in request is no longer waiting. Start again from the other site.")
    pending.clear(request)
    server = provider_server()
    try:
        oid_request = _decode_checkid(request, server, args)
    except DecodeFailed as failed:
        return failed.response
    if request.POST.get("choice") != "allow":
        # The member chose to go back: the relying party learns only "cancel".
        return openid_response(request, server, oid_request.answer(False), direct=False)
    realm_trust(user=request.user, realm=oid_request.trust_root)
    return _checkid(request, server, oid_request)


class DecodeFailed(Exception):
    def __init__(self, response):
        super().__init__("OpenID request refused")
        self.response = response


def _decode(request, server, query):
    """The decoded request. Otherwise DecodeFailed carries the answer: key-value form for
    direct requests, a 400 page for the browser (never a redirect to a return_to that could
    not be validated)."""
    try:
        oid_request = server.decodeRequest(query)
        if oid_request is None:
            raise DecodeFailed(error_page(request, title=BAD_REQUEST, message="No OpenID message was sent."))
        return oid_request
    except UntrustedReturnURL:
        message = "The return address is not inside the realm the site gave."
    except MalformedReturnURL:
        message = "The return address is not a valid URL."
    except MalformedTrustRoot:
        message = "The realm is not a valid URL pattern."
    except ProtocolError as exc:
        raise DecodeFailed(_protocol_error(request, server, exc)) from exc
    except (ValueError, KeyError, TypeError, UnicodeError):
        message = "The request could not be understood."
    raise DecodeFailed(error_page(request, title=BAD_REQUEST, message=message))


def _protocol_error(request, server, exc):
    # Direct (server-to-server) requests are POSTs and expect key-value form back.
    if request.method == "POST" and exc.whichEncoding() == ENCODE_KVFORM:
        return openid_response(request, server, exc, direct=True)
    return error_page(request, title=BAD_REQUEST, message=f"The request could not be understood ({str(exc)[:200]}).")


def _decode_checkid(request, server, args):
    oid_request = _decode(request, server, args)
    if not isinstance(oid_request, CheckIDRequest):
        raise DecodeFailed(error_page(request, title=BAD_REQUEST, message="The waiting request is not a sign-in request."))
    return oid_request


def _checkid(request, server, oid_request):
    if oid_request.return_to is None:
        return error_page(request, title=BAD_REQUEST, message="The request has no return address.")
    user = request.user
    own_url = identity_url_for(user) if user.is_authenticated else None
    outcome = decide(user=user, oid_request=oid_request, own_identity_url=own_url)
    if outcome is Outcome.APPROVE:
        pending.clear(request)
        return openid_response(request, server, oid_request.answer(True, identity=own_url), direct=False)
    if outcome in (Outcome.SETUP_NEEDED, Outcome.CANCEL):
        pending.clear(request)
        return openid_response(request, server, oid_request.answer(False), direct=False)
    if outcome is Outcome.LOGIN:
        pending.stash(request, oid_request)
        login = reverse("account_login") + "?" + urlencode({"next": reverse("openid_provider:resume")})
        return redirect(login)
    if outcome is Outcome.CONSENT:
        token = pending.stash(request, oid_request)
        return render(request, "openid_provider/consent.html", {
            "realm": oid_request.trust_root, "identity_url": own_url, "token": token,
        })
    pending.clear(request)
    if outcome is Outcome.REFUSED:
        return error_page(request, status=403, title="Sign-in refused",
                          message="The other site asked to sign you in as someone else. Nothing was sent to it.")
    if outcome is Outcome.NOT_IMMEDIATE:
        return error_page(request, status=403, title="Sign-in not possible from here",
                          message=f"{oid_request.trust_root} asked to sign you in without showing you anything, "
                                  "and it is neither a site this club trusts nor one you allowed while signed in. "
                                  "Nothing was sent to it. Go back to that site and use its sign-in button.")
    if outcome is Outcome.BLOCKED:
        return error_page(request, status=403, title="Site not allowed",
                          message=f"This club only signs members in to approved sites; {oid_request.trust_root} is not one.")
    return error_page(request, title=BAD_REQUEST, message="The site's realm covers too many sites to be trusted.")


def _client_address(request) -> str:
    """The site's one rule (allauth's, with TRUSTED_PROXY_COUNT): REMOTE_ADDR, or the client's
    address in X-Forwarded-For behind that many proxies of ours."""
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return ""
