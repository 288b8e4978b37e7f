"""Prometheus-style metrics for operators: how the workers are doing.

Off unless METRICS_TOKEN is set; then it needs `Authorization: Bearer <token>` (compared in
constant time). 404 otherwise, so the endpoint's existence is not advertised.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from integrations.webhooks.selectors import outbox_summary
from integrations.wiflight.selectors import notification_summary, queue_summary


@never_cache
def metrics(request):
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not constant_time_compare(given, token):
        raise Http404()
    summary = queue_summary()
    lines = ["# HELP flightline_wiflight_sync_rows Wi-Flight reservations by sync state.",
             "# TYPE flightline_wiflight_sync_rows gauge"]
    lines += [f'flightline_wiflight_sync_rows{{state="{state}"}} {n}' for state, n in sorted(summary.counts.items())]
    lines += ["# HELP flightline_wiflight_sync_oldest_pending_seconds Age of the oldest change not yet at Wi-Flight.",
              "# TYPE flightline_wiflight_sync_oldest_pending_seconds gauge",
              f"flightline_wiflight_sync_oldest_pending_seconds {summary.oldest_pending_seconds or 0:.1f}"]
    notifications = notification_summary()
    lines += ["# HELP flightline_wiflight_notifications Notifications received from Wi-Flight by state.",
              "# TYPE flightline_wiflight_notifications gauge"]
    lines += [f'flightline_wiflight_notifications{{state="{state}"}} {n}'
              for state, n in sorted(notifications.counts.items())]
    lines += ["# HELP flightline_wiflight_reconcile_age_seconds Time since the oldest club's last finished reconciliation.",
              "# TYPE flightline_wiflight_reconcile_age_seconds gauge",
              f"flightline_wiflight_reconcile_age_seconds {notifications.reconcile_age_seconds or 0:.1f}"]
    webhooks = outbox_summary()
    lines += ["# HELP flightline_webhook_messages Webhook messages by delivery state.",
              "# TYPE flightline_webhook_messages gauge"]
    lines += [f'flightline_webhook_messages{{state="{state}"}} {n}' for state, n in sorted(webhooks.counts.items())]
    lines += ["# HELP flightline_webhook_oldest_undelivered_seconds Age of the oldest webhook message not yet delivered to an active endpoint.",
              "# TYPE flightline_webhook_oldest_undelivered_seconds gauge",
              f"flightline_webhook_oldest_undelivered_seconds {webhooks.oldest_undelivered_seconds or 0:.1f}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; version=0.0.4")
