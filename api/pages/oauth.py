"""OAuth pages: the member's consent screen (only for applications of a club they belong
to), the admin's application registry, and the member's list of applications they
authorized, each with revoke."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from oauth2_provider.views import AuthorizationView

from api.models import OAuthApplication
from api.oauth_apps import oauth_app_delete, oauth_app_register, oauth_apps_authorized_by, oauth_grant_revoke
from clubs.access import club_member
from clubs.models import Membership
from core.form_errors import add_service_error


class ClubAuthorizationView(AuthorizationView):
    """django-oauth-toolkit's consent screen, for members of the application's club only:
    a token acts as a member within their roles in that club, so nobody else may grant one."""

    template_name = "api/oauth_authorize.html"

    def _refusal(self, request):
        client_id = request.GET.get("client_id") or request.POST.get("client_id") or ""
        app = OAuthApplication.objects.select_related("organization").filter(client_id=client_id).first()
        if app is None or not request.user.is_authenticated:
            return None  # the toolkit answers an unknown client, and sends strangers to sign in
        member = Membership.objects.people().filter(user=request.user, organization_id=app.organization_id,
                                                    is_active=True).first()
        if member is None:
            return render(request, "api/oauth_refused.html", {"application": app}, status=403)
        self.membership = member
        return None

    def get(self, request, *args, **kwargs):
        return self._refusal(request) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refusal(request) or super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["acting_as"] = getattr(self, "membership", None)
        return context


class OAuthAppForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="Shown to members when they authorize it.")
    redirect_uris = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Redirect URIs",
                                    help_text="One per line, exactly as the application sends them (https).")
    confidential = forms.BooleanField(required=False, label="Confidential (a server that keeps a secret)",
                                      help_text="Leave unticked for a mobile or browser app: it uses PKCE alone.")


@club_member("manage_integrations")
def oauth_apps(request):
    form = OAuthAppForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            app, secret = oauth_app_register(actor=request.membership, name=d["name"],
                                             redirect_uris=d["redirect_uris"].splitlines(),
                                             confidential=d["confidential"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            created, form = {"app": app, "secret": secret}, OAuthAppForm()
    apps = OAuthApplication.objects.filter(organization=request.club).order_by("name")
    response = render(request, "api/oauth_apps.html", {"form": form, "apps": apps, "created": created},
                      status=400 if form.errors else 200)
    if created:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@club_member("manage_integrations")
def oauth_app_delete_view(request, pk: int):
    app = get_object_or_404(OAuthApplication, pk=pk, organization=request.club)
    oauth_app_delete(actor=request.membership, app=app)
    messages.success(request, f"Deleted {app.name}; its tokens no longer work.")
    return redirect("oauth_apps", request.club.slug)


@club_member()
def authorized_apps(request):
    return render(request, "api/authorized_apps.html", {"apps": oauth_apps_authorized_by(request.membership)})


@require_POST
@club_member()
def authorized_app_revoke(request, pk: int):
    app = get_object_or_404(OAuthApplication, pk=pk, organization=request.club)
    oauth_grant_revoke(actor=request.membership, app=app)
    messages.success(request, f"{app.name} can no longer act for you.")
    return redirect("authorized_apps", request.club.slug)
