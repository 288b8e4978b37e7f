"""Reconciliation: walk Wi-Flight's flight index for a club's aircraft and ingest flights that
never arrived as notifications (lost, paused, refused). Same ingest path and de-duplication
as notifications; the booking link comes from our own time matching, because a flight
document carries its crew but not its matched reservations (docs/wiflight.md).

All HTTP happens outside transactions; each flight is ingested in its own short one.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.entry_points import system_entry_point
from integrations.wiflight.client import WiFlightError, client_for
from integrations.wiflight.flight_services import flight_ingest
from flights.models import Flight
from integrations.wiflight.models import ReconciliationRun, WiFlightConnection
from integrations.wiflight.xml import (
    XMLRejected, format_time, parse_flight_index_xml, parse_flight_xml)

log = logging.getLogger(__name__)


@system_entry_point("pure: the time window a reconciliation run walks")
def reconcile_window(connection: WiFlightConnection, now) -> tuple:
    """From the end of the last successful run, reaching back by an overlap (recorders upload
    late: a flight can appear in the index hours after it happened); a first run looks back
    the configured number of days. Known flight ids make the overlap cheap."""
    last = (ReconciliationRun.objects.filter(organization_id=connection.organization_id, finished_at__isnull=False,
                                             error="").order_by("-window_end").first())
    if last is None:
        start = now - timedelta(days=settings.WIFLIGHT_RECONCILE_FIRST_LOOKBACK_DAYS)
    else:
        start = last.window_end - timedelta(hours=settings.WIFLIGHT_RECONCILE_OVERLAP_HOURS)
    return start, now


@system_entry_point("the reconciliation task of one connection")
def reconcile_club(*, connection_id: int, client_factory=None) -> ReconciliationRun:
    connection = WiFlightConnection.objects.select_related("organization").get(pk=connection_id)
    start, end = reconcile_window(connection, timezone.now())
    run = ReconciliationRun.objects.create(organization_id=connection.organization_id, window_start=start, window_end=end)
    tails = set(connection.organization.aircraft.values_list("registration", flat=True))
    ingested: list[str] = []
    error = ""
    try:
        client = (client_factory or client_for)(connection)
        index = [f for f in parse_flight_index_xml(client.list_flights(format_time(start), format_time(end)))
                 if f.tail in tails]
        known = set(Flight.objects.filter(organization_id=connection.organization_id,
                                          wiflight_id__in=[f.wiflight_id for f in index])
                    .values_list("wiflight_id", flat=True))
        run.flights_listed = len(index)
        for entry in index:
            if entry.wiflight_id in known:
                continue
            raw = client.get_flight(entry.wiflight_id)
            document = parse_flight_xml(raw)
            flight_ingest(organization_id=connection.organization_id, document=document,
                          raw=raw.decode("utf-8", "replace"), reservation_name=None,
                          source=Flight.Source.RECONCILIATION)
            ingested.append(entry.wiflight_id)
    except (WiFlightError, XMLRejected) as exc:
        error = str(exc)[:500]
        log.warning("Wi-Flight reconciliation of %s stopped: %s", connection.organization.slug, error)
    ReconciliationRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), flights_listed=run.flights_listed, flights_ingested=len(ingested),
        ingested_ids=ingested, error=error)
    run.refresh_from_db()
    return run


@system_entry_point("the reconciliation beat task")
def connections_to_reconcile(now=None) -> list[int]:
    """Clubs whose sync is on and ready, and whose last run started at least half a beat
    interval ago: a duplicate beat (two schedulers during a deploy) or a manual run just before
    must not double the calls to Wi-Flight, while the previous tick's run is always old enough."""
    now = now or timezone.now()
    interval = timedelta(seconds=settings.CELERY_BEAT_SCHEDULE["wiflight-reconcile"]["schedule"])
    recent = set(ReconciliationRun.objects.filter(started_at__gt=now - interval / 2)
                 .values_list("organization_id", flat=True))
    return [c.pk for c in WiFlightConnection.objects.filter(enabled=True).order_by("pk")
            if c.is_ready and c.organization_id not in recent]
