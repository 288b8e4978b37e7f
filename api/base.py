"""What every endpoint shares: Bearer credentials, the hourly rate limit and its headers,
JSON in and out, the error envelope (api.errors), and the one door to an organization."""

import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api import ratelimit
from api.authentication import BearerAuthentication, Credential
from clubs.models import Membership, Plan
from core.errors import NotAllowed


def client_address(request) -> str:
    """As the sign-in limits see it: REMOTE_ADDR, or X-Forwarded-For behind TRUSTED_PROXY_COUNT
    proxies (one rule for the whole site)."""
    try:
        return get_adapter().get_client_ip(getattr(request, "_request", request))
    except PermissionDenied:
        return ""


class ApiView(APIView):
    authentication_classes = [BearerAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    throttle_classes: list = []

    @property
    def credential(self) -> Credential:
        return self.request.auth

    def actor(self, slug: str) -> Membership:
        """The membership the caller acts as in organization `slug` (404 for any other)."""
        return self.credential.actor_in(slug)

    def perform_authentication(self, request):
        try:
            request.user  # noqa: B018 - authenticates
        finally:
            request.rate_usage = self._count(request)

    def _count(self, request) -> ratelimit.Usage | None:
        if not settings.API_RATE_LIMITS_ENABLED:
            return None
        credential = getattr(request, "_auth", None)
        if isinstance(credential, Credential):
            return ratelimit.hit(credential.rate_bucket, ratelimit.limit_for(credential.organization))
        # Unauthenticated callers share their address's window at the standard limit.
        return ratelimit.hit(f"ip:{client_address(request)}", settings.API_RATE_LIMITS[Plan.STANDARD])

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method not in SAFE_METHODS and not self.credential.can_write:
            raise NotAllowed("insufficient_scope", "This credential may only read (its scope is read).")

    def check_throttles(self, request):
        usage = getattr(request, "rate_usage", None)
        if usage is not None and usage.exceeded:
            raise exceptions.Throttled(wait=max(usage.reset - int(time.time()), 1))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        usage = getattr(request, "rate_usage", None)
        if usage is not None:
            for name, value in usage.headers().items():
                response[name] = value
        return response
