"""OAuth applications: registered by a club admin (exact redirect URIs, authorization code
with PKCE only), authorized by members, and revoked by the member or the admin.

A confidential application's secret is shown once and stored hashed (django-oauth-toolkit
hashes it on save)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from api.models import OAuthApplication
from clubs.audit import audit_record
from clubs.models import Membership
from clubs.policy import require_active, require_capability, require_same_club
from core.errors import Invalid, NotFound
from core.text import require_plain_line

ONLY_ADMINS = "Only club admins register applications."
MAX_REDIRECT_URIS = 10


def _check_redirect_uris(uris: list[str]) -> list[str]:
    cleaned = [u.strip() for u in uris if u.strip()]
    if not cleaned:
        raise Invalid("redirect_uri_required", "Give at least one redirect URI.", field="redirect_uris")
    if len(cleaned) > MAX_REDIRECT_URIS:
        raise Invalid("too_many_redirect_uris", f"Give at most {MAX_REDIRECT_URIS} redirect URIs.",
                      field="redirect_uris")
    schemes = settings.OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"]
    for uri in cleaned:
        parts = urlsplit(uri)
        require_plain_line(uri, field="redirect_uris", label="A redirect URI")
        if parts.scheme not in schemes or not parts.netloc or parts.fragment or " " in uri or "*" in uri:
            raise Invalid("redirect_uri_invalid", f"{uri!r} is not an exact {' or '.join(schemes)} URI "
                          "(no wildcard, no #fragment).", field="redirect_uris")
    return cleaned


def oauth_app_register(*, actor: Membership, name: str, redirect_uris: list[str],
                       confidential: bool) -> tuple[OAuthApplication, str]:
    """Returns the application and, for a confidential one, its secret (shown once)."""
    require_capability(actor, "manage_integrations", ONLY_ADMINS)
    name = require_plain_line(name.strip(), field="name", label="An application's name")
    if not name:
        raise Invalid("name_required", "Give the application a name.", field="name")
    uris = _check_redirect_uris(redirect_uris)
    secret = generate_client_secret() if confidential else ""
    with transaction.atomic():
        app = OAuthApplication(
            organization=actor.organization, user=actor.user, name=name[:255], redirect_uris=" ".join(uris),
            client_type=OAuthApplication.CLIENT_CONFIDENTIAL if confidential else OAuthApplication.CLIENT_PUBLIC,
            authorization_grant_type=OAuthApplication.GRANT_AUTHORIZATION_CODE, client_secret=secret,
            skip_authorization=False)
        app.save()
        audit_record(organization=actor.organization, actor=actor.user, action="oauth_app.registered", target=app,
                     summary=f"Registered application {name} ({app.get_client_type_display().lower()})")
    return app, secret


def oauth_app_delete(*, actor: Membership, app: OAuthApplication) -> None:
    """Every token of the application dies with it."""
    require_capability(actor, "manage_integrations", ONLY_ADMINS)
    require_same_club(actor, app, "application")
    with transaction.atomic():
        audit_record(organization=actor.organization, actor=actor.user, action="oauth_app.deleted", target=app,
                     summary=f"Deleted application {app.name}")
        app.delete()


def oauth_grant_revoke(*, actor: Membership, app: OAuthApplication) -> int:
    """The actor withdraws their authorization of `app`: their tokens and codes for it end."""
    require_active(actor)
    if app.organization_id != actor.organization_id:
        raise NotFound("not_found", "No such application.")
    with transaction.atomic():
        now = timezone.now()
        refresh = RefreshToken.objects.filter(user=actor.user, application=app, revoked__isnull=True)
        revoked = refresh.update(revoked=now)
        revoked += AccessToken.objects.filter(user=actor.user, application=app).delete()[0]
        Grant.objects.filter(user=actor.user, application=app).delete()
        if revoked:
            audit_record(organization=actor.organization, actor=actor.user, action="oauth_app.authorization_revoked",
                         target=app, summary=f"Withdrew the authorization of {app.name}")
    return revoked


def oauth_apps_authorized_by(actor: Membership) -> list[OAuthApplication]:
    """The club's applications holding a live token of the actor's."""
    live = AccessToken.objects.filter(user=actor.user, expires__gt=timezone.now()).values("application_id")
    refresh = RefreshToken.objects.filter(user=actor.user, revoked__isnull=True).values("application_id")
    return list(OAuthApplication.objects.filter(organization_id=actor.organization_id)
                .filter(pk__in=live.union(refresh)).order_by("name"))
