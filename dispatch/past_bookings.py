"""A member's past bookings: the other half of selectors.upcoming_bookings_of_member."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from clubs.models import Membership
from dispatch.models import Booking
from dispatch.selectors import bookings_of_member


def past_bookings_of_member(membership: Membership) -> QuerySet[Booking]:
    """Flown, cancelled, or over, newest first."""
    return (
        bookings_of_member(membership)
        .filter(Q(end__lt=timezone.now()) | Q(status__in=[Booking.Status.CANCELLED, Booking.Status.COMPLETED]))
        .order_by("-start", "-pk")
    )
