"""Reads about the sync queue, for admins and the metrics endpoint."""

from dataclasses import dataclass

from django.db.models import Count, Min
from django.utils import timezone

from portal.integrations.wiflight.models import ReservationSync

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
