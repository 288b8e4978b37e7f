"""The member's OpenID page: their identity URL and the sites they chose to trust."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openid_provider.models import TrustedRealm
from openid_provider.services import identity_url_for, realm_revoke


@login_required
def profile(request):
    return render(request, "openid_provider/profile.html", {
        "identity_url": identity_url_for(request.user),
        "trusted_realms": TrustedRealm.objects.filter(user=request.user),
        "site_trusted_realms": settings.OPENID_TRUSTED_REALMS,
    })


@login_required
@require_POST
def trusted_realm_revoke(request, pk: int):
    if realm_revoke(user=request.user, trusted_realm_id=pk):
        messages.success(request, "That site will ask for your permission again next time.")
    return redirect("openid_provider:profile")
