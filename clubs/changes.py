"""The one path every domain write takes: audit entry plus change event, in the writer's
transaction.

A service calls `change_record(...)` inside its `transaction.atomic()`. It writes the audit
entry and hands a `Change` to every subscriber of that event, in the same transaction, so a
subscriber that records work to do (the Wi-Flight sync's queue row, the webhook outbox next)
commits or rolls back with the change itself: nothing is lost, nothing is sent for a change
that did not happen. Subscribers do no network I/O here; they write a row and send later.

Subscribers register in their AppConfig.ready() (never signals), so the domain apps never
import an integration. docs/events.md lists the events and their payloads; `EVENTS` below is
the catalogue, and recording an event not in it is a programming error.
"""

import fnmatch
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models

from clubs.audit import audit_record
from clubs.models import Membership, Organization

log = logging.getLogger(__name__)

EVENTS: dict[str, str] = {
    "booking.created": "A booking was made (also a walk-up).",
    "booking.changed": "A booking's aircraft, times, crew, purpose or notes changed.",
    "booking.cancelled": "A booking was cancelled.",
    "booking.dispatched": "The aircraft of a booking was checked out.",
    "booking.completed": "The aircraft of a booking was checked in.",
    "booking.check_in_corrected": "The meters, fuel or ground time of a checked-in booking were corrected.",
    "aircraft.added": "An aircraft or simulator joined the fleet.",
    "aircraft.changed": "An aircraft's registration, type, base, rate or recorder changed.",
    "aircraft.status_changed": "An aircraft was grounded or returned to service.",
    "aircraft.retired": "An aircraft left the fleet.",
    "aircraft.meters_corrected": "An aircraft's Hobbs and tach were set by hand, with a reason.",
    "maintenance.changed": "A maintenance item was added, changed, signed off or removed.",
    "squawk.reported": "A member reported a defect on an aircraft (at check-in or at any time).",
    "squawk.changed": "Maintenance deferred, cleared or re-rated a squawk.",
    "booking_rules.changed": "The club's booking rules, a member's checkout or a solo endorsement changed.",
    "club_event.changed": "A club event (ground school, meeting, fly-in) was added, changed or cancelled.",
    "member.added": "A member was added to the club (invited).",
    "member.updated": "A member's roles, instructor, name, email or Wi-Flight username changed.",
    "member.deactivated": "A member was deactivated.",
    "member.documents_changed": "A member's licence, medical or flight-review expiry date changed.",
    "member.reactivated": "A member was reactivated.",
    "flight.detected": "A flight came back from a flight data recorder.",
    "flight.assigned": "A flight without a booking was linked to one.",
    "flight_log.created": "Flight log entries were created for a flight or a checked-in booking.",
    "flight_log.updated": "A flight log entry was completed or changed.",
    "flight_log.deleted": "A flight log entry recorded by hand or by an external logbook was deleted.",
    "charge.priced": "A flown booking was billed, or billed again after a correction: draft lines changed.",
    "invoice.changed": "A draft invoice or credit note gained or lost a line by hand.",
    "invoice.created": "An invoice or credit note was issued: it has its number and counts in the balance.",
    "invoice.paid": "An issued invoice was settled in full by payments and credits.",
    "invoice.voided": "An issued invoice or credit note was voided.",
    "payment.recorded": "A payment was recorded on a member's account.",
    "payment.voided": "A recorded payment was voided.",
    "expense.submitted": "An expense was submitted (or recorded) for reimbursement.",
    "expense.decided": "A submitted expense was approved (credited on the next invoice) or rejected.",
    "account.changed": "A member's billing group or credit limit changed.",
    "billing.changed": "The club's billing settings, an aircraft's terms or an instructor's rates changed.",
}


@dataclass(frozen=True)
class Change:
    event: str
    organization: Organization
    actor: Membership | None  # None: the system (a notification, a sweep)
    target: models.Model
    payload: dict[str, Any] = field(default_factory=dict)


Subscriber = Callable[[Change], None]
_subscribers: list[tuple[str, Subscriber]] = []


def subscribe(pattern: str, handler: Subscriber) -> None:
    """Call `handler` for every event matching `pattern` ("booking.*", "member.updated")."""
    if not any(fnmatch.fnmatchcase(event, pattern) for event in EVENTS):
        raise ValueError(f"{pattern!r} matches no event")
    if (pattern, handler) not in _subscribers:
        _subscribers.append((pattern, handler))


def subscribers_of(event: str) -> list[Subscriber]:
    return [handler for pattern, handler in _subscribers if fnmatch.fnmatchcase(event, pattern)]


def change_record(*, event: str, organization: Organization, actor: Membership | None, target: models.Model,
                  summary: str, details: dict | None = None, payload: dict | None = None,
                  audit_action: str | None = None) -> Change:
    """Record one domain change. Must run inside the writer's transaction.

    `audit_action` keeps an audit entry's established name where it says more about the
    person's act than the event does (an invitation is `member.invited`; the fact is
    `member.added`)."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}: add it to clubs.changes.EVENTS and docs/events.md")
    if not connection.in_atomic_block:
        raise RuntimeError("change_record must run inside the writer's transaction")
    audit_record(organization=organization, actor=actor.user if actor is not None else None,
                 action=audit_action or event, target=target, summary=summary, details=details)
    change = Change(event=event, organization=organization, actor=actor, target=target, payload=payload or {})
    for handler in subscribers_of(event):
        handler(change)
    return change
