"""The flight log: entries created from detected flights, completed by the pilot, billed by
an admin (after which only admins change them, audited)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dispatch.models import BookingCrew
from flights.models import LogbookEntry
from clubs.audit import audit_record
from clubs.models import Membership

LOGGING_ROLES = (BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR, BookingCrew.Role.STUDENT)


def _airports(flight) -> tuple[str, str, int]:
    events = list(flight.events.all())
    takeoffs = [e for e in events if e.kind == "takeoff"]
    landings = [e for e in events if e.kind == "landing"]
    departure = takeoffs[0].airport if takeoffs else ""
    arrival = landings[-1].airport if landings else ""
    return departure, arrival, len(landings)


def logbook_entries_for_flight(*, flight) -> int:
    """One entry per flying crew member of the flight's booking (passengers log nothing).
    Runs inside the ingest transaction; the unique constraint makes a repeat a no-op."""
    crew = list(BookingCrew.objects.filter(booking_id=flight.booking_id, role__in=LOGGING_ROLES)
                .select_related("membership__user"))
    if not crew:
        return 0
    names = {c.membership_id: c.membership.user.display_name for c in crew}
    pic = next((c for c in crew if c.role == BookingCrew.Role.PIC), None) or next(
        (c for c in crew if c.role == BookingCrew.Role.INSTRUCTOR), crew[0])
    departure, arrival, landings = _airports(flight)
    local_date = timezone.localtime(flight.start, flight.organization.tz).date()
    entries = [
        LogbookEntry(
            organization_id=flight.organization_id, flight=flight, membership_id=c.membership_id, date=local_date,
            aircraft_id=flight.aircraft_id, registration=flight.tail, pilot_in_command=names[pic.membership_id],
            other_crew=", ".join(n for pk, n in names.items() if pk != c.membership_id)[:300], role=c.role,
            departure=departure, arrival=arrival, block_minutes=round(flight.length_seconds / 60),
            air_minutes=min(round(flight.airtime_seconds / 60), round(flight.length_seconds / 60)), landings=landings)
        for c in crew
    ]
    return len(LogbookEntry.objects.bulk_create(entries, ignore_conflicts=True))


def logbook_update(*, actor: Membership, entry: LogbookEntry, remarks: str, approaches: int, landings: int) -> LogbookEntry:
    """The pilot completes their entry; after billing only an admin may, and it is audited.
    The row is locked so a concurrent "mark billed" cannot slip between check and write."""
    with transaction.atomic():
        entry = LogbookEntry.objects.select_for_update().get(pk=entry.pk)
        if not entry.editable_by(actor):
            raise ValidationError("This entry has been billed; ask an admin to change it."
                                  if entry.is_billed else "You cannot change this entry.")
        before = {"remarks": entry.remarks, "approaches": entry.approaches, "landings": entry.landings}
        entry.remarks, entry.approaches, entry.landings = remarks.strip(), approaches, landings
        entry.completed_at = entry.completed_at or timezone.now()
        entry.save()
        if entry.is_billed or actor.pk != entry.membership_id:
            audit_record(organization=entry.organization, actor=actor.user, action="logbook.changed", target=entry,
                         summary=f"Changed flight log entry {entry} of {entry.membership.user.display_name}"
                         + (" after billing" if entry.is_billed else ""),
                         details={"before": before, "after": {"remarks": entry.remarks, "approaches": approaches,
                                                              "landings": landings}})
    return entry


def logbook_mark_billed(*, actor: Membership, entry: LogbookEntry, at: datetime | None = None) -> bool:
    if not actor.is_admin or actor.organization_id != entry.organization_id:
        raise ValidationError("Only admins mark flight log entries billed.")
    with transaction.atomic():
        marked = LogbookEntry.objects.filter(pk=entry.pk, billed_at__isnull=True).update(billed_at=at or timezone.now())
        if marked:
            audit_record(organization=entry.organization, actor=actor.user, action="logbook.billed", target=entry,
                         summary=f"Marked flight log entry {entry} billed")
    return bool(marked)
