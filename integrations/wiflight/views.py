from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clubs.access import club_member
from core.errors import NotFound, Refusal
from core.form_errors import add_service_error
from integrations.wiflight.connection_services import connection_for, connection_update
from integrations.wiflight.connection_test import connection_test
from integrations.wiflight.forms import ConnectionForm
from integrations.wiflight.selectors import queue_problems, queue_summary
from integrations.wiflight.sync_sending import sync_retry_now


@club_member("manage_integrations")
def connection_settings(request):
    connection = connection_for(request.club)
    form = ConnectionForm(request.POST or None, instance=connection)
    if request.method == "POST" and form.is_valid():
        try:
            connection_update(connection=form.save(commit=False), actor=request.membership,
                              changed_fields=set(form.changed_data) - {"password"},
                              password=form.cleaned_data.get("password", ""))
        except Refusal as refusal:
            add_service_error(form, refusal)
        else:
            messages.success(request, "Wi-Flight settings saved.")
            return redirect("wiflight:settings", request.club.slug)
    return render(request, "wiflight/settings.html", {
        "form": form, "connection": connection, "summary": queue_summary(request.club),
        # From the configured public address, never the Host header: this is what the admin
        # hands to Wi-Flight, and behind a proxy the request's own scheme may be wrong.
        "notify_url": settings.PUBLIC_BASE_URL + reverse("wiflight_notify", args=[request.club.slug]),
    }, status=400 if form.errors else 200)


@require_POST
@club_member("manage_integrations")
def test_connection(request):
    """Signs in and reads Wi-Flight's aircraft list now (a POST: it sends the stored password)."""
    connection = connection_for(request.club)
    try:
        result = connection_test(actor=request.membership, connection=connection)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("wiflight:settings", request.club.slug)
    return render(request, "wiflight/connection_test.html", {"connection": connection, "result": result})


@club_member("run_sync_queue")
def queue(request):
    return render(request, "wiflight/queue.html", {
        "summary": queue_summary(request.club), "rows": queue_problems(request.club),
    })


@require_POST
@club_member("run_sync_queue")
def retry(request, pk: int):
    try:
        retried = sync_retry_now(actor=request.membership, sync_id=pk)
    except NotFound as refusal:
        raise Http404(refusal.message) from refusal
    if retried:
        messages.success(request, "Sent to Wi-Flight again.")
    else:
        messages.info(request, "Nothing to retry: it is already synced.")
    return redirect("wiflight:queue", request.club.slug)
