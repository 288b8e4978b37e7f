"""/auth/openid_enter: a real OpenID 2.0 relying party (python3-openid's Consumer)."""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from openid.consumer import consumer as openid_consumer
from openid.consumer.discover import DiscoveryFailure

from wiflight_sim.models import UserOpenID
from wiflight_sim.openid_rp import ConsumerSession, DjangoOpenIDStore
from wiflight_sim.services.accounts import normalize_openid
from wiflight_sim.services.sessions import DEFAULT_EXPIRES_SECONDS, session_start, session_user
from wiflight_sim.views.auth import set_session_cookie


def _refuse(status: int, reason: str) -> HttpResponse:
    return HttpResponse(reason + "\n", status=status, reason=reason, content_type="text/plain; charset=utf-8")


def safe_local_path(url: str | None) -> bool:
    """Only `/something` on this host: no scheme, no `//host`, no backslash tricks."""
    return bool(
        url
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and not any(c in url for c in "\r\n\t\\")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )


def _consumer(request) -> openid_consumer.Consumer:
    return openid_consumer.Consumer(ConsumerSession(request.session), DjangoOpenIDStore())


def openid_enter(request):
    if request.method != "GET":
        response = HttpResponse(status=405)
        response["Allow"] = "GET"
        return response
    target, identifier = request.GET.get("url"), (request.GET.get("openid") or "").strip()
    if not safe_local_path(target):
        return _refuse(400, "url must be a local path starting with /")
    if session_user(request.COOKIES.get(settings.SIM_SESSION_COOKIE)) is not None:
        return HttpResponseRedirect(target)  # the contract: no new login when already signed in
    if not identifier:
        return _refuse(400, "Missing openid parameter")
    try:
        auth_request = _consumer(request).begin(identifier)
    except DiscoveryFailure:
        return _refuse(400, "OpenID discovery failed")
    if auth_request is None:
        return _refuse(400, "OpenID discovery failed")
    return_to = f"{settings.SIM_BASE_URL}/auth/openid_return?url={quote(target, safe='')}"
    return HttpResponseRedirect(auth_request.redirectURL(realm=settings.SIM_BASE_URL + "/", return_to=return_to))


def openid_return(request):
    target = request.GET.get("url")
    if not safe_local_path(target):
        return _refuse(400, "url must be a local path starting with /")
    current_url = settings.SIM_BASE_URL + request.get_full_path()
    result = _consumer(request).complete(request.GET.dict(), current_url)
    if result.status == openid_consumer.CANCEL:
        return _refuse(403, "OpenID login cancelled")
    if result.status != openid_consumer.SUCCESS:
        return _refuse(403, "OpenID verification failed")
    link = UserOpenID.objects.select_related("user").filter(claimed_id=normalize_openid(result.identity_url)).first()
    if link is None:
        return _refuse(403, "No account for this OpenID")
    token, _ = session_start(user=link.user, expires_seconds=DEFAULT_EXPIRES_SECONDS)
    request.sim_user = link.user
    response = HttpResponseRedirect(target)
    set_session_cookie(response, token, DEFAULT_EXPIRES_SECONDS)
    return response
