"""The club admin's webhook pages: endpoints (add: the secret is shown once), one endpoint's
settings and delivery log, rotation, "send again"."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clubs.access import club_member
from core.errors import NotFound, Refusal
from core.form_errors import add_service_error
from integrations.webhooks.delivery import message_resend
from integrations.webhooks.endpoints import (
    endpoint_create, endpoint_delete, endpoint_rotation_end, endpoint_secret_rotate, endpoint_update)
from integrations.webhooks.forms import EndpointEditForm, EndpointForm
from integrations.webhooks.models import WebhookEndpoint
from integrations.webhooks.selectors import delivery_log, endpoints_of, outbox_summary


def _endpoint_or_404(request, pk: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, pk=pk, organization=request.club)


def _secret_shown_once(response):
    response["Cache-Control"] = "no-store"  # the page holds the one copy of the secret
    return response


@club_member("manage_integrations")
def endpoints(request):
    form = EndpointForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint, secret = endpoint_create(actor=request.membership, url=data["url"], events=data["events"],
                                               description=data["description"])
        except Refusal as refusal:
            add_service_error(form, refusal)
        else:
            created, form = {"endpoint": endpoint, "secret": secret}, EndpointForm()
    response = render(request, "webhooks/endpoints.html", {
        "form": form, "created": created, "endpoints": endpoints_of(request.club),
        "summary": outbox_summary(organization=request.club),
    }, status=400 if form.errors else 200)
    return _secret_shown_once(response) if created else response


@club_member("manage_integrations")
def endpoint_page(request, pk: int):
    endpoint = _endpoint_or_404(request, pk)
    form = EndpointEditForm.for_endpoint(endpoint, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint_update(actor=request.membership, endpoint=endpoint, url=data["url"], events=data["events"],
                            description=data["description"], active=data["active"])
        except Refusal as refusal:
            add_service_error(form, refusal)
        else:
            messages.success(request, "Webhook endpoint saved.")
            return redirect("webhooks:endpoint", request.club.slug, endpoint.pk)
    return render(request, "webhooks/endpoint.html", {
        "form": form, "endpoint": endpoint, "log": delivery_log(endpoint),
        "summary": outbox_summary(endpoint=endpoint), "rotating": endpoint.rotation_in_progress(timezone.now()),
    }, status=400 if form.errors else 200)


@require_POST
@club_member("manage_integrations")
def endpoint_delete_view(request, pk: int):
    endpoint = _endpoint_or_404(request, pk)
    endpoint_delete(actor=request.membership, endpoint=endpoint)
    messages.success(request, f"Removed the webhook endpoint {endpoint}.")
    return redirect("webhooks:endpoints", request.club.slug)


@require_POST
@club_member("manage_integrations")
def secret_rotate(request, pk: int):
    endpoint = _endpoint_or_404(request, pk)
    secret = endpoint_secret_rotate(actor=request.membership, endpoint=endpoint)
    endpoint.refresh_from_db()
    return _secret_shown_once(render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret}))


@require_POST
@club_member("manage_integrations")
def rotation_end(request, pk: int):
    if endpoint_rotation_end(actor=request.membership, endpoint=_endpoint_or_404(request, pk)):
        messages.success(request, "Rotation ended: messages are signed with the new secret only.")
    return redirect("webhooks:endpoint", request.club.slug, pk)


@require_POST
@club_member("manage_integrations")
def send_again(request, pk: int, message_pk: int):
    endpoint = _endpoint_or_404(request, pk)
    if not endpoint.messages.filter(pk=message_pk).exists():
        raise Http404("No such message.")
    try:
        queued = message_resend(actor=request.membership, message_id=message_pk)
    except NotFound as refusal:
        raise Http404(refusal.message) from refusal
    if queued:
        messages.success(request, "The message will be sent again, with the same webhook-id."
                         + ("" if endpoint.is_active else " The endpoint is off: switch it on to send it."))
    else:
        messages.info(request, "It is still queued: nothing to send again.")
    return redirect("webhooks:endpoint", request.club.slug, pk)
