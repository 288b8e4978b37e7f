"""Reads for booking lists, and the helpers the board (dispatch/board.py) and flights share."""

from datetime import date, datetime, time
from datetime import timezone as dt_timezone

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from clubs.models import Membership
from dispatch.models import Booking, BookingCrew


# What User.display_name reads, through a membership: the lists load only these of a member.
DISPLAY_NAME_FIELDS = ("user__full_name", "user__first_name", "user__last_name", "user__username")


def crew_prefetch() -> Prefetch:
    return Prefetch("crew", queryset=BookingCrew.objects.select_related("membership__user").order_by("role"))


def crew_names_prefetch() -> Prefetch:
    """crew_prefetch for the lists, which show a crew member's name and role and nothing else
    of them: only those columns, not the whole membership and user rows."""
    return Prefetch("crew", queryset=BookingCrew.objects.select_related("membership__user").order_by("role").only(
        "booking", "membership", "role", *(f"membership__{f}" for f in DISPLAY_NAME_FIELDS)))


def local_midnight(day: date, tz) -> datetime:
    """Local midnight, in UTC. Aware datetimes sharing one zoneinfo subtract and add as wall
    clock times in Python, so all board arithmetic is done in UTC to stay true across DST."""
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(dt_timezone.utc)


def bookings_of_member(membership: Membership) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(crew__membership=membership)
        .select_related("aircraft")
        .prefetch_related(crew_names_prefetch())
        .distinct()
    )


def upcoming_bookings_of_member(membership: Membership) -> QuerySet[Booking]:
    return (
        bookings_of_member(membership)
        .filter(end__gte=timezone.now())
        .exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.COMPLETED])
        .order_by("start")
    )


def past_bookings_of_member(membership: Membership) -> QuerySet[Booking]:
    """The other half of upcoming_bookings_of_member: flown, cancelled, or over, newest first."""
    return (
        bookings_of_member(membership)
        .filter(Q(end__lt=timezone.now()) | Q(status__in=[Booking.Status.CANCELLED, Booking.Status.COMPLETED]))
        .order_by("-start", "-pk")
    )
