"""Squawks: what crews reported wrong with an aircraft at check-in (Dispatch.squawks, free
text). Read here for the aircraft page and the fleet page; the maintenance work will make
them rows of their own later, and these selectors are the one place to change then."""

from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from dispatch.models import Aircraft, Dispatch

RECENT = timedelta(days=90)


def squawks_reported() -> QuerySet[Dispatch]:
    """Check-ins that reported something, newest first."""
    return (Dispatch.objects.exclude(squawks="").filter(checked_in_at__isnull=False)
            .order_by("-checked_in_at", "-pk"))


def aircraft_squawks(aircraft: Aircraft, limit: int = 20) -> list[Dispatch]:
    return list(squawks_reported().filter(booking__aircraft=aircraft)
                .select_related("booking", "checked_in_by")[:limit])


def with_squawk_summary(aircraft: QuerySet[Aircraft]) -> list[Aircraft]:
    """The aircraft, each with `latest_squawk` (a Dispatch or None) and `recent_squawks`
    (how many in the last 90 days): two queries whatever the size of the fleet."""
    of_aircraft = squawks_reported().filter(booking__aircraft=OuterRef("pk"))
    counted = (of_aircraft.filter(checked_in_at__gte=timezone.now() - RECENT).order_by()
               .values("booking__aircraft").annotate(n=Count("pk")).values("n"))
    rows = list(aircraft.annotate(
        latest_squawk_id=Subquery(of_aircraft.values("pk")[:1]),
        recent_squawks=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
    ))
    latest = {d.pk: d for d in Dispatch.objects.filter(pk__in=[a.latest_squawk_id for a in rows if a.latest_squawk_id])
              .select_related("checked_in_by")}
    for a in rows:
        a.latest_squawk = latest.get(a.latest_squawk_id)
    return rows
