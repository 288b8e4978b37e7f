"""Who is calling: `Authorization: Bearer <credential>`. An API key (`fl_...`) names its club
and acts as its own account; an OAuth access token acts as the member who authorized the
application, within their roles in the application's club."""

from dataclasses import dataclass

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import authentication, exceptions

from api.keys import api_key_authenticate
from api.models import ApiKey
from clubs.models import Membership, Organization
from core.errors import NotFound


@dataclass(frozen=True)
class Credential:
    """What a request may act as. `actor_in(slug)` is the one door to an organization."""

    kind: str  # "api_key" or "oauth"
    name: str
    can_write: bool
    organization: Organization
    actor: Membership
    api_key: ApiKey | None = None

    def organizations(self) -> list[Organization]:
        return [self.organization]

    def actor_in(self, slug: str) -> Membership:
        """The membership this credential acts as in `slug`; another club is not found."""
        if slug != self.organization.slug:
            raise NotFound("not_found", "No such organization.")
        return self.actor

    @property
    def rate_bucket(self) -> str:
        return f"org:{self.organization.pk}"


class BearerAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give one credential after Bearer.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Unknown or revoked credential.") from None
        if not raw.startswith("fl_"):
            return self._oauth(request)
        key = api_key_authenticate(raw)
        if key is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked credential.")
        credential = Credential(kind="api_key", name=key.name, can_write=key.can_write, organization=key.organization,
                                actor=key.actor, api_key=key)
        return key.actor.user, credential

    def _oauth(self, request):
        found = OAuth2Authentication().authenticate(request)
        if found is None:
            raise exceptions.AuthenticationFailed("Unknown, expired or revoked access token.")
        user, token = found
        app = token.application
        actor = (Membership.objects.people().select_related("user", "organization")
                 .filter(user=user, organization_id=app.organization_id, is_active=True).first())
        if actor is None or not user.is_active:
            # Deactivated since the app was authorized: the token acts for no one.
            raise exceptions.AuthenticationFailed("The member who authorized this application is no longer active.")
        scopes = set(token.scope.split())
        return user, Credential(kind="oauth", name=app.name, can_write="write" in scopes,
                                organization=app.organization, actor=actor)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
