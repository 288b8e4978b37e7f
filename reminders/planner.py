"""Planning reminders: which emails are owed now, one row each.

Each reminder's key names its subject and its moment, and (kind, key, member) is unique, so
planning again (the next beat, a restart, two beats at once) adds nothing already planned:
the constraint is the guard, inserts that collide are dropped. A booking moved to another
time has another key, so its crew hear of it again; a document renewed to a new date too."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clubs.models import Membership, Organization
from core.entry_points import system_entry_point
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.selectors import local_midnight
from reminders.models import Reminder

FLYING_ROLES = (BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR, BookingCrew.Role.STUDENT)
DOCUMENTS = (("licence", "licence_expires_on", "licence"), ("medical", "medical_expires_on", "medical certificate"),
             ("flight_review", "flight_review_expires_on", "flight review"))
_UTC = dt_timezone.utc


def _reachable() -> Q:
    """Members an email may go to, written from the membership's side."""
    return (Q(is_active=True, email_reminders=True, user__is_active=True, user__is_service_account=False)
            & ~Q(user__email=""))


def _iso(moment: datetime) -> str:
    return moment.astimezone(_UTC).isoformat()


@dataclass
class _Owed:
    """A reminder owed, before its body is written (only new ones are)."""
    kind: str
    key: str
    membership: Membership
    template: str
    subject: str
    context: dict

    def reminder(self) -> Reminder:
        context = {"member": self.membership, "club": self.membership.organization, **self.context}
        return Reminder(organization_id=self.membership.organization_id, membership=self.membership, kind=self.kind,
                        key=self.key, subject=self.subject[:200],
                        body=render_to_string(f"reminders/{self.template}.txt", context))


def _row(kind: str, key: str, membership: Membership, template: str, subject: str, **context) -> _Owed:
    return _Owed(kind, key, membership, template, subject, context)


def _club_zones() -> list[str]:
    return sorted(set(Organization.objects.values_list("timezone", flat=True)))


def _crew_prefetch() -> Prefetch:
    return Prefetch("crew", queryset=BookingCrew.objects.select_related("membership__user", "membership__organization")
                    .order_by("role", "pk"), to_attr="crew_list")


def _booking_rows(now: datetime) -> list[_Owed]:
    """A booking starting tomorrow in its club's zone: each flying crew member (passengers are
    not the club's to remind)."""
    rows = []
    for zone in _club_zones():
        tz = ZoneInfo(zone)
        tomorrow = now.astimezone(tz).date() + timedelta(days=1)
        bookings = (Booking.objects.filter(organization__timezone=zone, start__gte=local_midnight(tomorrow, tz),
                                           start__lt=local_midnight(tomorrow + timedelta(days=1), tz),
                                           status=Booking.Status.BOOKED)
                    .select_related("aircraft", "organization").prefetch_related(_crew_prefetch()))
        for booking in bookings:
            for slot in booking.crew_list:
                m = slot.membership
                if slot.role in FLYING_ROLES and _may_email(m):
                    rows.append(_row(Reminder.Kind.BOOKING_TOMORROW, f"booking:{booking.pk}:{booking.aircraft_id}:{_iso(booking.start)}", m,
                                     "booking_tomorrow", f"Tomorrow: {booking.aircraft.registration} at "
                                     f"{booking.start.astimezone(tz):%H:%M}", booking=booking, role=slot.get_role_display(),
                                     crew=booking.crew_list, start=booking.start.astimezone(tz),
                                     end=booking.end.astimezone(tz), url=_booking_url(booking)))
    return rows


def _may_email(m: Membership) -> bool:
    return (m.is_active and m.email_reminders and m.user.is_active and not m.user.is_service_account
            and bool(m.user.email))


def _booking_url(booking: Booking) -> str:
    return settings.PUBLIC_BASE_URL + reverse("dispatch:booking", args=[booking.organization.slug, booking.pk])


def _document_rows(now: datetime) -> list[_Owed]:
    """A licence, medical or flight review expiring within REMINDER_DOCUMENTS_DAYS, in the
    club's calendar: once per document and expiry date."""
    days = settings.REMINDER_DOCUMENTS_DAYS
    rows = []
    for zone in _club_zones():
        today = now.astimezone(ZoneInfo(zone)).date()
        until = today + timedelta(days=days)
        expiring = Q()
        for _, field, _ in DOCUMENTS:
            expiring |= Q(**{f"{field}__gte": today, f"{field}__lte": until})
        members = (Membership.objects.filter(_reachable(), expiring, organization__timezone=zone)
                   .select_related("user", "organization"))
        for m in members:
            for name, field, label in DOCUMENTS:
                expires: date | None = getattr(m, field)
                if expires is not None and today <= expires <= until:
                    rows.append(_row(Reminder.Kind.DOCUMENT_EXPIRING, f"{name}:{m.pk}:{expires.isoformat()}", m,
                                     "document_expiring", f"Your {label} expires on {expires:%d %b %Y}",
                                     label=label, expires=expires, days_left=(expires - today).days))
    return rows


def _grounded_rows(now: datetime) -> list[_Owed]:
    """An aircraft grounded under a booking still to fly: each of its crew, once per
    grounding (a release and a new grounding is another)."""
    rows = []
    bookings = (Booking.objects.filter(aircraft__status=Aircraft.Status.GROUNDED, aircraft__grounded_at__isnull=False,
                                       status=Booking.Status.BOOKED, start__gt=now)
                .select_related("aircraft", "organization").prefetch_related(_crew_prefetch()))
    for booking in bookings:
        aircraft, tz = booking.aircraft, booking.organization.tz
        for slot in booking.crew_list:
            if _may_email(slot.membership):
                rows.append(_row(Reminder.Kind.AIRCRAFT_GROUNDED, f"grounded:{booking.pk}:{_iso(aircraft.grounded_at)}",
                                 slot.membership, "aircraft_grounded",
                                 f"{aircraft.registration} is grounded: your booking {booking.start.astimezone(tz):%a %d %b %H:%M}",
                                 booking=booking, aircraft=aircraft, start=booking.start.astimezone(tz),
                                 end=booking.end.astimezone(tz), url=_booking_url(booking)))
    return rows


@system_entry_point("the reminders beat (reminders.tasks.remind_all)")
def reminders_plan(now: datetime | None = None) -> int:
    """Plan every reminder owed now; returns how many this beat wrote (a beat racing it may
    have written some of the same first: the constraint keeps one of each)."""
    now = now or timezone.now()
    owed = _booking_rows(now) + _document_rows(now) + _grounded_rows(now)
    planned = _already_planned(owed)
    new = [o.reminder() for o in owed if (o.kind, o.key, o.membership.pk) not in planned]
    # Another beat may plan the same rows between the look above and this insert: the unique
    # constraint keeps one, and ignore_conflicts drops the other's without an error.
    Reminder.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def _already_planned(owed: list[_Owed]) -> set[tuple[str, str, int]]:
    keys = {o.key for o in owed}
    planned: set[tuple[str, str, int]] = set()
    chunk = sorted(keys)
    for i in range(0, len(chunk), 500):
        planned.update(Reminder.objects.filter(key__in=chunk[i:i + 500]).values_list("kind", "key", "membership_id"))
    return planned
