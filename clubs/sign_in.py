"""Sign-in's rules that allauth leaves to us: allauth's adapter and portal/urls.py ask here.

Whose failed logins count, where mailed links point, and how the Django admin signs in. Each
answer comes from an attack: failures were counted against the name as typed (a member locked
out by username signed in by email at once); mailed links were built from the request's Host
header (a reset asked with `Host: localhost:9999` linked to that port); and the admin's own
login form had no limit (25 wrong passwords, then the right one, signed in).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.urls import URLPattern, URLResolver, path

from clubs.models import User


def login_failure_key(typed: str) -> str:
    """The key failed logins count against: the account, whichever name or address named it.

    A name that no account, or more than one, answers to counts as typed, case aside.
    """
    typed = typed.strip().lower()
    named = (Q(username__iexact=typed) | Q(email__iexact=typed)
             | Q(pk__in=EmailAddress.objects.filter(email__iexact=typed).values("user_id")))
    pks = list(User.objects.filter(named).values_list("pk", flat=True)[:2])
    return f"account:{pks[0]}" if len(pks) == 1 else f"typed:{typed}"


def public_url(url: str) -> str:
    """`url` (a path, or a link built from the request) rebased on PUBLIC_BASE_URL."""
    _, _, path_, query, fragment = urlsplit(url)
    return settings.PUBLIC_BASE_URL + urlunsplit(("", "", path_, query, fragment))


@dataclass(frozen=True)
class PublicSite:
    """What allauth's mail templates greet and sign off with as `current_site`."""

    name: str
    domain: str


def public_site() -> PublicSite:
    return PublicSite(name="Flightline", domain=urlsplit(settings.PUBLIC_BASE_URL).netloc)


def django_admin_urls() -> list[URLPattern | URLResolver]:
    """The Django admin, signing in through the site's sign-in and its limits; off unless enabled."""
    if not settings.DJANGO_ADMIN_ENABLED:
        return []
    # Unauthenticated visitors go to the site's login (next= brings them back); a signed-in
    # member who is not staff gets 403. The admin's own login form is never shown.
    admin.site.login = secure_admin_login(admin.site.login)
    return [path("django-admin/", admin.site.urls)]
