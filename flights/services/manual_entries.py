"""Flight-log entries recorded without a detected flight or a check-in: typed in, or sent by
an external logbook or device through the API. They are the member's own record; the rules
of the flight log hold (flights.policy): a member records their own, an admin anyone's, and
once billed only an admin changes one. Only such entries can be deleted (an entry made from
a flight or a check-in is the club's record of it) and never once billed."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from clubs.changes import change_record
from clubs.models import Membership
from clubs.policy import can, require_active
from core.errors import Conflict, Invalid, NotAllowed, NotFound
from core.text import require_plain_line
from dispatch.models import Aircraft
from flights.events import entry_payload
from flights.models import LogbookEntry
from flights.policy import require_entry_editable

MAX_BLOCK_MINUTES = 24 * 60


@dataclass(frozen=True)
class ManualEntryInput:
    date: date
    registration: str
    block_minutes: int
    member: Membership | None = None  # None: the actor's own log
    aircraft: Aircraft | None = None  # the club's aircraft, when the registration is one
    air_minutes: int | None = None
    departure: str = ""
    arrival: str = ""
    landings: int = 0
    approaches: int = 0
    pilot_in_command: str = ""
    role: str = ""
    remarks: str = ""


def _check(data: ManualEntryInput) -> None:
    for field in ("registration", "departure", "arrival", "pilot_in_command", "role"):
        require_plain_line(getattr(data, field), field=field, label=field.replace("_", " ").capitalize())
    if not data.registration.strip():
        raise Invalid("registration_required", "Give the aircraft's registration.", field="aircraft")
    if not 0 < data.block_minutes <= MAX_BLOCK_MINUTES:
        raise Invalid("duration_out_of_range", "Give a duration above 0 and at most 24 hours.", field="duration")
    if data.air_minutes is not None and not 0 <= data.air_minutes <= data.block_minutes:
        raise Invalid("air_time_out_of_range", "Air time is between 0 and the duration.", field="air_duration")
    if data.landings < 0 or data.approaches < 0 or data.landings > 1000 or data.approaches > 1000:
        raise Invalid("count_out_of_range", "Landings and approaches are from 0 to 1,000.", field="landings")


def _owner(actor: Membership, member: Membership | None) -> Membership:
    require_active(actor)
    owner = member or actor
    if owner.organization_id != actor.organization_id:
        raise NotFound("unknown_member", "Unknown member.", field="member")
    if owner.pk != actor.pk and not can(actor, "manage_flight_log"):
        raise NotAllowed("not_allowed", "You record flights in your own log only.", field="member")
    if owner.user.is_service_account and owner.pk != actor.pk:
        raise Invalid("member_not_a_person", "An API key's account keeps no flight log but its own.", field="member")
    return owner


def logbook_entry_create(*, actor: Membership, data: ManualEntryInput) -> LogbookEntry:
    owner = _owner(actor, data.member)
    _check(data)
    if data.aircraft is not None and data.aircraft.organization_id != actor.organization_id:
        raise NotFound("unknown_aircraft", "Unknown aircraft.", field="aircraft")
    with transaction.atomic():
        entry = LogbookEntry.objects.create(
            organization_id=actor.organization_id, membership=owner, date=data.date, aircraft=data.aircraft,
            registration=(data.aircraft.registration if data.aircraft else data.registration.strip().upper())[:16],
            pilot_in_command=data.pilot_in_command.strip()[:150], role=data.role.strip()[:16],
            departure=data.departure.strip().upper()[:8], arrival=data.arrival.strip().upper()[:8],
            block_minutes=data.block_minutes, air_minutes=data.air_minutes, landings=data.landings,
            approaches=data.approaches, remarks=data.remarks.strip()[:2000])
        change_record(event="flight_log.created", organization=actor.organization, actor=actor, target=entry,
                      summary=f"Recorded flight log entry {entry} for {owner.user.display_name}",
                      payload={"flight_id": None, "booking_id": None, "entry_ids": [entry.pk],
                               "membership_ids": [owner.pk]})
    return entry


def logbook_entry_delete(*, actor: Membership, entry: LogbookEntry) -> None:
    with transaction.atomic():
        entry = LogbookEntry.objects.select_for_update(of=("self",)).select_related(
            "membership__user", "organization").filter(pk=entry.pk).first()
        if entry is None:  # deleted a moment ago by someone else
            raise NotFound("entry_not_found", "No such flight log entry.")
        require_entry_editable(actor, entry)
        if entry.flight_id is not None or entry.booking_id is not None:
            raise Conflict("entry_recorded_by_club", "This entry records a flight or a check-in of the club and "
                           "cannot be deleted; correct it instead.")
        if entry.is_billed:
            raise Conflict("entry_billed", "A billed entry cannot be deleted.")
        payload = entry_payload(entry)
        change_record(event="flight_log.deleted", organization=entry.organization, actor=actor, target=entry,
                      summary=f"Deleted flight log entry {entry} of {entry.membership.user.display_name}",
                      payload=payload)
        LogbookEntry.objects.filter(pk=entry.pk).delete()
