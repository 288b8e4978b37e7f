"""Admin pages about flights coming back: the notification secret, reconciliation runs and
flights waiting to be assigned to a booking."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clubs.access import club_member
from core.errors import NotFound
from integrations.wiflight.connection_services import connection_for, notify_rotation_end, notify_secret_generate
from integrations.wiflight.flight_services import notification_retry
from flights.models import Flight
from integrations.wiflight.models import FlightNotification, ReconciliationRun


@require_POST
@club_member("manage_integrations")
def notify_secret(request):
    connection = connection_for(request.club)
    if connection.pk is None:
        messages.error(request, "Save the Wi-Flight connection first.")
        return redirect("wiflight:settings", request.club.slug)
    secret = notify_secret_generate(connection=connection, actor=request.membership)
    # Shown once, on this response only: it is stored encrypted and never displayed again.
    response = render(request, "wiflight/notify_secret.html", {"secret": secret, "connection": connection})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@club_member("manage_integrations")
def notify_rotation_finish(request):
    if notify_rotation_end(connection=connection_for(request.club), actor=request.membership):
        messages.success(request, "Rotation ended: only the new secret is accepted now.")
    return redirect("wiflight:settings", request.club.slug)


@club_member("manage_integrations")
def flights_admin(request):
    club = request.club
    return render(request, "wiflight/flights_admin.html", {
        "runs": ReconciliationRun.objects.filter(organization=club)[:20],
        "unmatched": Flight.objects.filter(organization=club, booking__isnull=True).exclude(
            unmatched_reservation="").select_related("aircraft")[:200],
        "failed": FlightNotification.objects.filter(organization=club, state=FlightNotification.State.FAILED)[:50],
        "received": FlightNotification.objects.filter(organization=club).count(),
    })


@require_POST
@club_member("manage_integrations")
def notification_retry_view(request, pk: int):
    try:
        retried = notification_retry(actor=request.membership, notification_id=pk)
    except NotFound as refusal:
        raise Http404(refusal.message) from refusal
    if retried:
        messages.success(request, "The notification will be processed again.")
    else:
        messages.info(request, "Nothing to retry.")
    return redirect("wiflight:flights", request.club.slug)
