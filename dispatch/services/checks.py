"""What the apps above dispatch check inside dispatch's services, without dispatch importing
them (booking_rules and maintenance register here in their AppConfig.ready()).

- Booking rules: every checker registered with `register_booking_checker` is asked, inside
  the booking's transaction, at booking (create and change) and again at check-out. Each
  returns findings: a warning lets the booking through and is kept on it
  (`Booking.rule_findings`); a block refuses it with the rule's own code, unless a dispatcher
  or an admin overrides it with a reason, which is audited with the facts at that moment.
  The board, the forms and the API all reach these services, so they see the same codes.
- Grounding holds: before a person releases a grounded aircraft, every hold registered with
  `register_release_hold` is asked why it must stay grounded (an inspection overdue, a
  grounding squawk open); any answer refuses the release.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from clubs.audit import audit_record
from clubs.models import Membership, Organization
from clubs.policy import can
from core.errors import Conflict, Invalid, NotAllowed
from core.text import require_plain_line
from dispatch.models import Aircraft, Booking

BOOKING, CHECK_OUT = "booking", "check_out"
WARN, BLOCK = "warn", "block"
OVERRIDE_REASON_MAX = 300


@dataclass(frozen=True)
class BookingFacts:
    """What a checker is asked about: the booking as it would be after the change."""
    stage: str  # BOOKING (create, change) or CHECK_OUT
    organization: Organization
    actor: Membership
    aircraft: Aircraft
    start: datetime
    end: datetime
    crew: list[tuple[Membership, str]]
    booking: Booking | None = None  # the booking being changed or checked out; None while created


@dataclass(frozen=True)
class RuleFinding:
    code: str  # the rule's refusal code (docs/errors.md), the same wherever it is met
    level: str  # WARN or BLOCK
    message: str  # said to the person, whole
    facts: dict = field(default_factory=dict)  # what was true at that moment (kept in the audit log)
    overridden: bool = False

    def as_dict(self) -> dict:
        return {"code": self.code, "level": self.level, "message": self.message, "facts": self.facts,
                "overridden": self.overridden}


BookingChecker = Callable[[BookingFacts], list[RuleFinding]]
_checkers: list[BookingChecker] = []
ReleaseHold = Callable[[Aircraft], list[str]]
_holds: list[ReleaseHold] = []


def register_booking_checker(checker: BookingChecker) -> None:
    if checker not in _checkers:
        _checkers.append(checker)


def register_release_hold(hold: ReleaseHold) -> None:
    if hold not in _holds:
        _holds.append(hold)


def findings_for(facts: BookingFacts) -> list[RuleFinding]:
    return [finding for checker in _checkers for finding in checker(facts)]


def may_override(actor: Membership) -> bool:
    return can(actor, "override_booking_rules")


def check_override_reason(reason: str) -> str:
    reason = (reason or "").strip()
    require_plain_line(reason, field="override_reason", label="The override reason")
    if len(reason) > OVERRIDE_REASON_MAX:
        raise Invalid("reason_too_long", f"Keep the reason under {OVERRIDE_REASON_MAX} characters.",
                      field="override_reason")
    return reason


def enforce(facts: BookingFacts, override_reason: str = "") -> list[RuleFinding]:
    """Ask every checker; refuse on a block unless overridden. Returns what is kept on the
    booking: the warnings, and the blocks overridden (marked so). Call inside the booking's
    transaction, after its locks; the caller audits the override with `audit_override`."""
    reason = check_override_reason(override_reason)
    findings = findings_for(facts)
    blocks = [f for f in findings if f.level == BLOCK]
    if blocks and not reason:
        first = blocks[0]
        overridable = may_override(facts.actor)
        hint = (" Give an override reason to book anyway." if overridable
                else " A dispatcher or an admin may override it.")
        raise Conflict(first.code, " ".join(f.message for f in blocks) + hint, field="override_reason",
                       details={"findings": [f.as_dict() for f in findings], "overridable": overridable})
    if blocks and not may_override(facts.actor):
        raise NotAllowed("rule_override_not_allowed",
                         "Only dispatchers and admins override the club's booking rules.", field="override_reason")
    return [RuleFinding(f.code, f.level, f.message, f.facts, overridden=f.level == BLOCK) for f in findings]


def audit_override(facts: BookingFacts, booking: Booking, kept: list[RuleFinding], reason: str) -> None:
    """One audit entry per override, with the facts each rule saw."""
    overridden = [f.as_dict() for f in kept if f.overridden]
    if not overridden:
        return
    what = "check-out" if facts.stage == CHECK_OUT else "booking"
    audit_record(organization=facts.organization, actor=facts.actor.user, action="booking.rules_overridden",
                 target=booking, summary=f"Overrode {', '.join(f['code'] for f in overridden)} at {what} of "
                 f"{facts.aircraft.registration}: {reason.strip()}",
                 details={"stage": facts.stage, "reason": reason.strip(), "findings": overridden})


def stored(kept: list[RuleFinding], stage: str = BOOKING, earlier: list[dict] | None = None) -> list[dict]:
    """What Booking.rule_findings keeps (facts stay in the audit log), each with the stage it
    was found at. `earlier`: what the booking kept before; the other stage's findings stay (a
    block overridden at booking is still shown after check-out)."""
    kept_before = [f for f in earlier or [] if f.get("stage", BOOKING) != stage]
    return kept_before + [{"code": f.code, "level": f.level, "message": f.message, "overridden": f.overridden,
                           "stage": stage} for f in kept]


def release_holds(aircraft: Aircraft) -> list[str]:
    return [reason for hold in _holds for reason in hold(aircraft)]
