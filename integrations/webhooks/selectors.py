"""Reads about the webhook outbox, for admins' pages and the metrics endpoint."""

from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone

from integrations.webhooks.models import WebhookEndpoint, WebhookMessage

State = WebhookMessage.State


@dataclass
class OutboxSummary:
    counts: dict[str, int]
    oldest_undelivered_seconds: float | None

    @property
    def backlog(self) -> int:
        return self.counts.get(State.PENDING, 0) + self.counts.get(State.FAILED, 0)


def outbox_summary(*, organization=None, endpoint: WebhookEndpoint | None = None) -> OutboxSummary:
    rows = WebhookMessage.objects.all()
    if organization is not None:
        rows = rows.filter(organization=organization)
    if endpoint is not None:
        rows = rows.filter(endpoint=endpoint)
    counts = {state: 0 for state in State.values}
    counts.update(dict(rows.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")))
    # Workers are late only for endpoints that are on: a switched-off one's queue just waits.
    oldest = rows.filter(state__in=WebhookMessage.UNDELIVERED, endpoint__is_active=True).aggregate(
        m=Min("queued_at"))["m"]
    return OutboxSummary(counts, (timezone.now() - oldest).total_seconds() if oldest else None)


def endpoints_of(organization):
    return (WebhookEndpoint.objects.filter(organization=organization)
            .annotate(backlog=Count("messages", filter=Q(messages__state__in=WebhookMessage.UNDELIVERED)))
            .order_by("created_at", "pk"))


def delivery_log(endpoint: WebhookEndpoint, limit: int = 100):
    """The endpoint's latest messages, newest first: the delivery log."""
    return WebhookMessage.objects.filter(endpoint=endpoint).defer("body").order_by("-pk")[:limit]
