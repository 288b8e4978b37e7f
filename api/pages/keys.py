"""The club admin's API keys page: create (the key is shown once), list, revoke."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from api.keys import api_key_create, api_key_revoke
from api.models import ApiKey
from clubs.access import club_member
from core.form_errors import add_service_error


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What uses the key: \"Club website\", \"Logbook sync\".")
    scopes = forms.ChoiceField(choices=ApiKey.Scope.choices, initial=ApiKey.Scope.READ, widget=forms.RadioSelect,
                               help_text="Read: sees bookings, flights, members and the flight log. Read and write: "
                                         "also books, cancels, records flight log entries and manages members, "
                                         "as a club admin and dispatcher would.")


@club_member("manage_integrations")
def api_keys(request):
    form = ApiKeyForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            key, raw = api_key_create(actor=request.membership, name=form.cleaned_data["name"],
                                      scopes=form.cleaned_data["scopes"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            created = {"key": key, "raw": raw}
            form = ApiKeyForm()
    keys = ApiKey.objects.filter(organization=request.club).select_related("created_by")
    response = render(request, "api/keys.html", {"form": form, "keys": keys, "created": created},
                      status=400 if form.errors else 200)
    if created:
        response["Cache-Control"] = "no-store"  # the page holds the one copy of the key
    return response


@require_POST
@club_member("manage_integrations")
def api_key_revoke_view(request, pk: int):
    key = get_object_or_404(ApiKey, pk=pk, organization=request.club)
    api_key_revoke(actor=request.membership, key=key)
    messages.success(request, f"Revoked {key}. Requests with it are refused from now on.")
    return redirect("api_keys", request.club.slug)
