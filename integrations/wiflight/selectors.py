"""Reads about the sync queue, for admins and the metrics endpoint; the notify receiver's
credentials."""

from dataclasses import dataclass
from functools import cache

from django.db import connection as db_connection
from django.db.models import Count, Max, Min
from django.utils import timezone

from clubs.models import Organization
from core.crypto import decrypt_text
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


def notify_credentials(slug: str) -> tuple[int, str, list[str]] | None:
    """(organization id, notify username, secrets accepted) of the club's connection, read
    fresh on every request, so a rotated or ended secret takes effect at once. One plain
    SELECT of the four columns authentication needs: building the same query through the
    ORM costs about a millisecond of CPU per notification, more than the query itself."""
    with db_connection.cursor() as cursor:
        cursor.execute(_credentials_sql(), [slug])
        found = cursor.fetchone()
    if found is None:
        return None
    organization_id, username, secret, previous = found
    return organization_id, username, [decrypt_text(secret), decrypt_text(previous)]


@cache
def _credentials_sql() -> str:
    quote = db_connection.ops.quote_name
    connections, clubs = quote(WiFlightConnection._meta.db_table), quote(Organization._meta.db_table)
    return ("SELECT c.organization_id, c.notify_username, c.notify_secret_encrypted, "
            f"c.notify_previous_secret_encrypted FROM {connections} c "
            f"JOIN {clubs} o ON o.id = c.organization_id WHERE o.slug = %s")
