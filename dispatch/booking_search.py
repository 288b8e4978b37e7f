"""The club's bookings list: its filters, the search, the page and the CSV export.

One selector (`bookings_matching`) serves both the page and the export, so the CSV holds
exactly the rows the filter shows, through dispatch.policy like every other read of bookings.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from clubs.models import Membership
from dispatch import policy
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.models.fleet import REGISTRATION_KEY, registration_key
from dispatch.selectors import crew_names_prefetch, local_midnight
from dispatch.services.rules import MAX_BOOKING

PAGE_SIZE = 50
# Without dates the list starts a week back: what a dispatcher still reconciles.
DEFAULT_LOOKBACK = timedelta(days=7)


@dataclass(frozen=True)
class BookingFilters:
    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    aircraft_id: int | None = None
    membership_id: int | None = None
    status: str = ""

    @classmethod
    def from_form(cls, data: dict) -> "BookingFilters":
        return cls(q=data.get("q") or "", date_from=data.get("from"), date_to=data.get("to"),
                   aircraft_id=data["aircraft"].pk if data.get("aircraft") else None,
                   membership_id=data["member"].pk if data.get("member") else None, status=data.get("status") or "")


def _search(q: str) -> Q:
    """A member (name or username) on the crew, or a registration however it is typed."""
    people = Q(membership__user__full_name__icontains=q) | Q(membership__user__username__icontains=q)
    match = Q(pk__in=BookingCrew.objects.filter(people).values("booking_id"))
    key = registration_key(q)
    if key:
        match |= Q(aircraft_id__in=Aircraft.objects.alias(key=REGISTRATION_KEY).filter(key__contains=key).values("pk"))
    return match


def bookings_matching(actor: Membership, filters: BookingFilters) -> QuerySet[Booking]:
    tz = actor.organization.tz
    qs = policy.bookings_visible(actor)
    # A booking lasts at most MAX_BOOKING, so one ending after a moment started at most that
    # long before it: the start bound lets the index range on (club, start) do the work.
    if filters.date_from:
        since = local_midnight(filters.date_from, tz)
        qs = qs.filter(end__gt=since, start__gt=since - MAX_BOOKING)
    if filters.date_to:
        qs = qs.filter(start__lt=local_midnight(filters.date_to + timedelta(days=1), tz))
    if not filters.date_from and not filters.date_to:
        since = timezone.now() - DEFAULT_LOOKBACK
        qs = qs.filter(end__gte=since, start__gte=since - MAX_BOOKING)
    if filters.q:
        qs = qs.filter(_search(filters.q))
    if filters.aircraft_id:
        qs = qs.filter(aircraft_id=filters.aircraft_id)
    if filters.membership_id:
        qs = qs.filter(pk__in=BookingCrew.objects.filter(membership_id=filters.membership_id).values("booking_id"))
    if filters.status:
        qs = qs.filter(status=filters.status)
    # wiflight_sync is the integration's reverse one-to-one: named, never imported.
    return qs.select_related("aircraft", "wiflight_sync").prefetch_related(crew_names_prefetch()).order_by("start", "pk")


def page_of(bookings: QuerySet[Booking], number: int | None) -> Page:
    """The page asked for; EmptyPage past the last one (the view says so on the form)."""
    return Paginator(bookings, PAGE_SIZE).page(number or 1)


def crew_by_role(booking: Booking) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {role: [] for role in BookingCrew.Role.values}
    for c in booking.crew.all():
        names[c.role].append(c.membership.user.display_name)
    return names


def sync_state(booking: Booking) -> str:
    """The Wi-Flight sync state in words, or "" for a booking that has no sync record."""
    sync = getattr(booking, "wiflight_sync", None)
    if sync is None:
        return ""
    if sync.state == "synced" and sync.synced_deleted:
        return "Removed from Wi-Flight"
    return sync.get_state_display()


# A spreadsheet runs a cell starting with these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_header(tz_name: str) -> list[str]:
    return [f"Start ({tz_name})", f"End ({tz_name})", "UTC offset", "Aircraft", "Pilot in command", "Instructor",
            "Student", "Passengers", "Status", "Purpose", "Wi-Flight sync", "Cancel reason"]


def csv_row(booking: Booking, tz) -> list[str]:
    start, end = timezone.localtime(booking.start, tz), timezone.localtime(booking.end, tz)
    crew = crew_by_role(booking)
    offset = start.strftime("%z")
    cells = [start.strftime("%Y-%m-%d %H:%M"), end.strftime("%Y-%m-%d %H:%M"), f"UTC{offset[:3]}:{offset[3:]}",
             booking.aircraft.registration, *("; ".join(crew[role]) for role in BookingCrew.Role.values),
             booking.get_status_display(), booking.get_purpose_display(), sync_state(booking), booking.cancel_reason]
    return [safe_cell(cell) for cell in cells]


class _Line:
    """csv.writer's file: hands back each line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(bookings: QuerySet[Booking], tz) -> Iterator[str]:
    """Every matching booking as CSV, read from the database in chunks so an export of
    100,000 rows never sits in memory whole."""
    writer = csv.writer(_Line())
    yield writer.writerow(csv_header(str(tz)))
    for booking in bookings.iterator(chunk_size=1000):
        yield writer.writerow(csv_row(booking, tz))
