"""The flight log: entries created by whichever comes first, the detected flight or the
booking's check-in (one entry per person per flight, never two), completed by the pilot,
billed by an admin (after which only admins change them, audited).

Both creating paths lock the booking row first: a check-in and a flight detected for the same
booking at the same moment would otherwise each see "no entry yet" and write one each.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clubs.changes import change_record
from clubs.models import Membership
from core.entry_points import system_entry_point
from dispatch.models import Booking, BookingCrew
from flights.events import entry_payload
from flights.models import LogbookEntry
from flights.policy import require_entry_editable, require_may_bill_entry

LOGGING_ROLES = (BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR, BookingCrew.Role.STUDENT)


def _flying_crew(booking_id: int) -> tuple[list[BookingCrew], dict[int, str], BookingCrew | None]:
    """The booking's crew who log the flight (passengers log nothing), their names, the PIC."""
    crew = list(BookingCrew.objects.filter(booking_id=booking_id, role__in=LOGGING_ROLES)
                .select_related("membership__user").order_by("pk"))
    if not crew:
        return [], {}, None
    names = {c.membership_id: c.membership.user.display_name for c in crew}
    pic = next((c for c in crew if c.role == BookingCrew.Role.PIC), None) or next(
        (c for c in crew if c.role == BookingCrew.Role.INSTRUCTOR), crew[0])
    return crew, names, pic


def _created_payload(flight_id, booking_id, entries: list[LogbookEntry]) -> dict:
    return {"flight_id": flight_id, "booking_id": booking_id, "entry_ids": [e.pk for e in entries],
            "membership_ids": [e.membership_id for e in entries]}


def _others(names: dict[int, str], membership_id: int) -> str:
    return ", ".join(n for pk, n in names.items() if pk != membership_id)[:300]


def _airports(flight) -> tuple[str, str, int]:
    events = list(flight.events.all())
    takeoffs = [e for e in events if e.kind == "takeoff"]
    landings = [e for e in events if e.kind == "landing"]
    return (takeoffs[0].airport if takeoffs else "", landings[-1].airport if landings else "", len(landings))


def _flight_facts(flight) -> dict:
    departure, arrival, landings = _airports(flight)
    block = round(flight.length_seconds / 60)
    return {"departure": departure, "arrival": arrival, "landings": landings, "block_minutes": block,
            "air_minutes": min(round(flight.airtime_seconds / 60), block), "aircraft_id": flight.aircraft_id,
            "registration": flight.tail}


@system_entry_point("a step of recording or assigning a flight, whose services check the actor")
def logbook_entries_for_flight(*, flight, assigned_by: Membership | None = None) -> list[LogbookEntry]:
    """System step of recording or assigning a flight (inside that transaction): each flying
    crew member of its booking gets an entry for it. An entry the check-in already made for
    that booking and member, not yet tied to a flight, is completed instead of a second one."""
    if flight.booking_id is None:
        return []
    Booking.objects.select_for_update().filter(pk=flight.booking_id).first()  # see the module docstring
    crew, names, pic = _flying_crew(flight.booking_id)
    facts = _flight_facts(flight)
    have = set(LogbookEntry.objects.filter(flight=flight).values_list("membership_id", flat=True))
    waiting_for = {e.membership_id: e for e in LogbookEntry.objects.filter(booking_id=flight.booking_id,
                                                                            flight__isnull=True)}
    created, completed = [], []
    for c in crew:
        if c.membership_id in have:
            continue
        waiting = waiting_for.get(c.membership_id)
        if waiting is not None:
            waiting.flight = flight
            if not waiting.is_billed:  # a billed entry keeps the figures it was billed on
                keep_pilots = {"landings"} if waiting.completed_at else set()
                for name, value in facts.items():
                    if name not in keep_pilots:
                        setattr(waiting, name, value)
            waiting.save()
            completed.append(waiting)
            continue
        created.append(LogbookEntry.objects.create(
            organization_id=flight.organization_id, flight=flight, booking_id=flight.booking_id,
            membership_id=c.membership_id, date=timezone.localtime(flight.start, flight.organization.tz).date(),
            pilot_in_command=names[pic.membership_id], other_crew=_others(names, c.membership_id), role=c.role,
            **facts))
    if created:
        change_record(event="flight_log.created", organization=flight.organization, actor=assigned_by, target=flight,
                      summary=f"Flight log entries for flight {flight.wiflight_id}: "
                      + ", ".join(names[e.membership_id] for e in created),
                      payload=_created_payload(flight.pk, flight.booking_id, created))
    for entry in completed:
        change_record(event="flight_log.updated", organization=flight.organization, actor=assigned_by, target=entry,
                      summary=f"Flight log entry {entry} completed from flight {flight.wiflight_id}",
                      payload={**entry_payload(entry), "changed": ["flight", *sorted(facts)]})
    return created + completed


@system_entry_point("the booking.completed subscriber; booking_check_in checked the actor")
def logbook_entries_for_check_in(*, booking: Booking, checked_in_by: Membership | None) -> list[LogbookEntry]:
    """System step of a check-in (subscriber of `booking.completed`, in its transaction): each
    flying crew member without an entry for this booking gets one from the check-in record
    (Hobbs time, the day in club time, the registration). A flight detected later completes it."""
    record = getattr(booking, "dispatch", None)
    if record is None or record.hobbs_in is None:
        return []
    Booking.objects.select_for_update().filter(pk=booking.pk).first()  # see the module docstring
    crew, names, pic = _flying_crew(booking.pk)
    have = set(LogbookEntry.objects.filter(Q(booking=booking) | Q(flight__booking=booking))
               .values_list("membership_id", flat=True))
    day = timezone.localtime(record.checked_out_at, booking.organization.tz).date()
    created = [
        LogbookEntry.objects.create(
            organization_id=booking.organization_id, booking=booking, membership_id=c.membership_id, date=day,
            aircraft_id=booking.aircraft_id, registration=booking.aircraft.registration,
            pilot_in_command=names[pic.membership_id], other_crew=_others(names, c.membership_id), role=c.role,
            block_minutes=round(record.hobbs_hours * 60), air_minutes=None)
        for c in crew if c.membership_id not in have
    ]
    if created:
        change_record(event="flight_log.created", organization=booking.organization, actor=checked_in_by, target=booking,
                      summary=f"Flight log entries from the check-in of {booking.aircraft.registration}: "
                      + ", ".join(names[e.membership_id] for e in created),
                      payload=_created_payload(None, booking.pk, created))
    return created




def logbook_update(*, actor: Membership, entry: LogbookEntry, remarks: str, approaches: int, landings: int) -> LogbookEntry:
    """The pilot completes their entry; after billing only an admin may, and it is audited.
    The row is locked so a concurrent "mark billed" cannot slip between check and write."""
    with transaction.atomic():
        entry = LogbookEntry.objects.select_for_update(of=("self",)).select_related(
            "membership__user", "organization").get(pk=entry.pk)
        require_entry_editable(actor, entry)
        before = {"remarks": entry.remarks, "approaches": entry.approaches, "landings": entry.landings}
        entry.remarks, entry.approaches, entry.landings = remarks.strip(), approaches, landings
        entry.completed_at = entry.completed_at or timezone.now()
        entry.save()
        after = {"remarks": entry.remarks, "approaches": approaches, "landings": landings}
        # Someone else's entry, or a billed one: the audit log names it "logbook.changed".
        oversight = entry.is_billed or actor.pk != entry.membership_id
        change_record(event="flight_log.updated", organization=entry.organization, actor=actor, target=entry,
                      audit_action="logbook.changed" if oversight else None,
                      summary=(f"Changed flight log entry {entry} of {entry.membership.user.display_name}"
                               + (" after billing" if entry.is_billed else "")) if oversight
                      else f"Completed flight log entry {entry}",
                      details={"before": before, "after": after},
                      payload={**entry_payload(entry), "changed": sorted(k for k in after if after[k] != before[k])})
    return entry


def logbook_mark_billed(*, actor: Membership, entry: LogbookEntry, at: datetime | None = None) -> bool:
    require_may_bill_entry(actor, entry)
    with transaction.atomic():
        marked = LogbookEntry.objects.filter(pk=entry.pk, billed_at__isnull=True).update(billed_at=at or timezone.now())
        if marked:
            entry.refresh_from_db()
            change_record(event="flight_log.updated", organization=entry.organization, actor=actor, target=entry,
                          audit_action="logbook.billed", summary=f"Marked flight log entry {entry} billed",
                          payload={**entry_payload(entry), "changed": ["billed_at"]})
    return bool(marked)
