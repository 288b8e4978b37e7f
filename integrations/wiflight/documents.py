"""What a reservation should say, read from the database: booking or maintenance row -> the
pure `Reservation` that xml.py turns into a document. None when the reservation should not
exist at Wi-Flight (cancelled booking, aircraft without a recorder, ...).

`wanted_reservations` builds a whole batch in a constant number of queries (the bookings,
their crew with members, users and OpenID identities); `wanted_reservation` is that for one row.
"""

from datetime import datetime, timezone

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch

from dispatch.models import Booking, BookingCrew
from integrations.wiflight.models import ReservationSync, WiFlightConnection
from integrations.wiflight.xml import CrewUser, Reservation

MAINTENANCE_START = datetime(2000, 1, 1, tzinfo=timezone.utc)
MAINTENANCE_END = datetime(2100, 1, 1, tzinfo=timezone.utc)


def identity_urls(user) -> tuple[str, ...]:
    """The member's OpenID identity URL, once the provider is installed (issue 5). Uses the
    identity read with the batch when there is one; creates it on first use otherwise."""
    try:
        from openid_provider.public_urls import identity_url
        from openid_provider.services import identity_url_for
    except ImportError:
        return ()
    try:
        identity = user.openid_identity  # select_related by wanted_reservations: no query
    except ObjectDoesNotExist:  # none yet: identity_url_for creates it
        identity = None
    if identity is not None:
        return (identity_url(identity.slug),)
    return (identity_url_for(user),)


def crew_user(slot: BookingCrew) -> CrewUser | None:
    """The crew member as Wi-Flight lists them, or None: a deactivated member stays on the
    booking (it is history) but leaves the reservation, and so loses Wi-Flight's view of it."""
    membership = slot.membership
    if not membership.is_active or not membership.wiflight_username:
        return None
    user = membership.user
    return CrewUser(name=membership.wiflight_username, fullname=user.display_name, email=user.email,
                    openids=identity_urls(user))


def _crew_queryset():
    related = ["membership__user"]
    try:
        from openid_provider.models import OpenIDIdentity  # noqa: F401 - the provider is installed
        related = ["membership__user__openid_identity"]
    except ImportError:
        pass
    return BookingCrew.objects.select_related(*related)  # the model's own order, as before


def _bookings(booking_ids) -> dict[int, Booking]:
    if not booking_ids:
        return {}
    rows = (Booking.objects.select_related("aircraft")
            .prefetch_related(Prefetch("crew", queryset=_crew_queryset())).filter(pk__in=booking_ids))
    return {booking.pk: booking for booking in rows}


def _from_booking(sync: ReservationSync, connection: WiFlightConnection, booking: Booking | None) -> Reservation | None:
    if booking is None or booking.status == Booking.Status.CANCELLED or not booking.aircraft.has_wiflight_recorder:
        return None
    crew = tuple(filter(None, (crew_user(slot) for slot in booking.crew.all())))
    return Reservation(name=sync.name, domain=connection.match_domain, tail=booking.aircraft.registration,
                       start=booking.start, end=booking.end, notify_profile=connection.notify_profile, crew=crew)


def _maintenance(sync: ReservationSync, connection: WiFlightConnection) -> Reservation | None:
    aircraft = sync.aircraft
    if (aircraft is None or not connection.maintenance_enabled or not aircraft.has_wiflight_recorder
            or aircraft.is_retired):
        return None
    return Reservation(name=sync.name, domain=connection.effective_maintenance_domain(), tail=aircraft.registration,
                       start=MAINTENANCE_START, end=MAINTENANCE_END, notify_profile=connection.notify_profile)


def wanted_reservations(syncs, connections: dict[int, WiFlightConnection]) -> dict[int, Reservation | None]:
    """Row pk -> what its reservation should say, for a batch (rows with `aircraft` selected;
    `connections` by organization id). Queries: the bookings and their crew, whatever the size."""
    bookings = _bookings([s.booking_id for s in syncs if s.kind == ReservationSync.Kind.BOOKING and s.booking_id])
    wanted = {}
    for sync in syncs:
        connection = connections[sync.organization_id]
        if sync.kind == ReservationSync.Kind.MAINTENANCE:
            wanted[sync.pk] = _maintenance(sync, connection)
        else:
            wanted[sync.pk] = _from_booking(sync, connection, bookings.get(sync.booking_id))
    return wanted


def wanted_reservation(sync: ReservationSync, connection: WiFlightConnection) -> Reservation | None:
    return wanted_reservations([sync], {sync.organization_id: connection})[sync.pk]
