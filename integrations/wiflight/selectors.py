"""Reads about the sync queue, for admins and the metrics endpoint."""

from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.utils import timezone

from integrations.wiflight.models import (
    FlightNotification, ReconciliationRun, ReservationSync, WiFlightConnection)

State = ReservationSync.State


@dataclass
class QueueSummary:
    counts: dict[str, int]
    oldest_pending_seconds: float | None

    @property
    def backlog(self) -> int:
        return self.counts.get(State.PENDING, 0) + self.counts.get(State.FAILED, 0)


def queue_summary(organization=None) -> QueueSummary:
    rows = ReservationSync.objects.all()
    if organization is not None:
        rows = rows.filter(organization=organization)
    counts = {state: 0 for state in State.values}
    counts.update(dict(rows.values_list("state").annotate(n=Count("pk")).values_list("state", "n")))
    oldest = rows.filter(state__in=[State.PENDING, State.FAILED]).aggregate(m=Min("pending_since"))["m"]
    age = (timezone.now() - oldest).total_seconds() if oldest else None
    return QueueSummary(counts, age)


def queue_problems(organization, limit: int = 200):
    """Rows an admin should look at: waiting, failing or given up, oldest first."""
    return (ReservationSync.objects.filter(organization=organization)
            .exclude(state=State.SYNCED)
            .select_related("booking__aircraft", "aircraft")
            .order_by("pending_since", "pk")[:limit])


@dataclass
class NotificationSummary:
    counts: dict[str, int]
    reconcile_age_seconds: float | None


def notification_summary() -> NotificationSummary:
    """Notifications by state, and how stale the stalest enabled club's reconciliation is."""
    counts = {state: 0 for state in FlightNotification.State.values}
    counts.update(dict(FlightNotification.objects.values_list("state").annotate(n=Count("pk"))
                       .values_list("state", "n")))
    clubs = WiFlightConnection.objects.filter(enabled=True).values_list("organization_id", flat=True)
    last = (ReconciliationRun.objects.filter(organization_id__in=clubs, finished_at__isnull=False)
            .values("organization_id").annotate(last=Max("finished_at")).values_list("last", flat=True))
    oldest = min(last, default=None)
    return NotificationSummary(counts, (timezone.now() - oldest).total_seconds() if oldest else None)
