"""What a reservation should say, read from the database: booking or maintenance row -> the
pure `Reservation` that xml.py turns into a document. Returns None when the reservation
should not exist at Wi-Flight (cancelled booking, aircraft without a recorder, ...)."""

from datetime import datetime, timezone

from dispatch.models import Booking, BookingCrew
from integrations.wiflight.models import ReservationSync, WiFlightConnection
from integrations.wiflight.xml import CrewUser, Reservation

MAINTENANCE_START = datetime(2000, 1, 1, tzinfo=timezone.utc)
MAINTENANCE_END = datetime(2100, 1, 1, tzinfo=timezone.utc)


def identity_urls(user) -> tuple[str, ...]:
    """The member's OpenID identity URL, once the provider is installed (issue 5)."""
    try:
        from openid_provider.services import identity_url_for
    except ImportError:
        return ()
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


def wanted_reservation(sync: ReservationSync, connection: WiFlightConnection) -> Reservation | None:
    if sync.kind == ReservationSync.Kind.MAINTENANCE:
        aircraft = sync.aircraft
        if (aircraft is None or not connection.maintenance_enabled or not aircraft.has_wiflight_recorder
                or aircraft.is_retired):
            return None
        return Reservation(name=sync.name, domain=connection.effective_maintenance_domain(), tail=aircraft.registration,
                           start=MAINTENANCE_START, end=MAINTENANCE_END, notify_profile=connection.notify_profile)
    booking = (Booking.objects.select_related("aircraft")
               .prefetch_related("crew__membership__user").filter(pk=sync.booking_id).first())
    if booking is None or booking.status == Booking.Status.CANCELLED or not booking.aircraft.has_wiflight_recorder:
        return None
    crew = tuple(filter(None, (crew_user(slot) for slot in booking.crew.all())))
    return Reservation(name=sync.name, domain=connection.match_domain, tail=booking.aircraft.registration,
                       start=booking.start, end=booking.end, notify_profile=connection.notify_profile, crew=crew)
