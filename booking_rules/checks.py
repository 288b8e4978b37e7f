"""The club's booking rules: what each one checks, with its code, in one place.

`club_rules` is registered with dispatch (dispatch.services.checks) and asked inside every
booking's transaction, at booking (create and change) and again at check-out, whichever
path asked (the board, a form, the API). Each rule the club has not switched off gives its
findings at the club's level (warn or block); dispatch decides what a block does (refuse,
unless a dispatcher or an admin overrides it with a reason).

Who each rule looks at (docs/decisions.md, "Booking rules"):
- documents: the licence of the pilot in command and of the instructor; the medical of
  those two and of a student flying solo; the flight review of the pilot in command. Valid on
  the day the booking starts (club time); a date not on file counts as not valid;
- checkout and recency: the member in command (pilot in command, else the instructor, else
  the solo student), unless an instructor flies with them (checkout flights are flown so);
- credit limit: the member who pays (the student, else the pilot in command, else the
  instructor), as accounting.selectors measures it (owed plus pending);
- active bookings: the pilot in command and the students, counting their bookings still to
  fly besides this one (at booking only, as the horizon and the length are);
- solo endorsement: a student with neither an instructor nor a pilot in command on the crew.
A simulator needs no documents, checkout, recency or endorsement.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from accounting.selectors import account_balance
from accounting.services.accounts import account_of
from booking_rules.models import AircraftCheckout, BookingRules, Level, SoloEndorsement
from clubs.models import Membership
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services.checks import BOOKING, BookingFacts, RuleFinding
from flights.models import LogbookEntry

PIC, INSTRUCTOR, STUDENT = BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR, BookingCrew.Role.STUDENT

# The refusal code of each rule (docs/errors.md, "Booking rules").
CODES = {
    "licence": "licence_expired",
    "medical": "medical_expired",
    "flight_review": "flight_review_expired",
    "aircraft_checkout": "aircraft_checkout_missing",
    "recency": "recency_lapsed",
    "credit_limit": "credit_limit_exceeded",
    "active_bookings": "too_many_active_bookings",
    "horizon": "beyond_booking_horizon",
    "length": "booking_longer_than_allowed",
    "solo_endorsement": "solo_not_endorsed",
}
DOCUMENTS = {  # rule: (membership field, what it is called)
    "licence": ("licence_expires_on", "licence"),
    "medical": ("medical_expires_on", "medical"),
    "flight_review": ("flight_review_expires_on", "flight review"),
}


def rules_of(organization) -> BookingRules:
    """The club's rules, every one off until the club sets it (never written on a read)."""
    found = BookingRules.objects.filter(organization=organization).first()
    return found if found is not None else BookingRules(organization=organization)


class _Crew:
    def __init__(self, crew: list[tuple[Membership, str]]):
        self.by_role: dict[str, list[Membership]] = {}
        for membership, role in crew:
            self.by_role.setdefault(role, []).append(membership)

    def first(self, role: str) -> Membership | None:
        return (self.by_role.get(role) or [None])[0]

    @property
    def students(self) -> list[Membership]:
        return self.by_role.get(STUDENT, [])

    @property
    def solo(self) -> bool:
        """A student flying with neither an instructor nor another pilot in command."""
        return bool(self.students) and self.first(INSTRUCTOR) is None and self.first(PIC) is None

    @property
    def commander(self) -> Membership | None:
        return self.first(PIC) or self.first(INSTRUCTOR) or (self.students[0] if self.students else None)

    @property
    def accompanied(self) -> bool:
        """An instructor flies with someone else in command (a lesson, a checkout flight)."""
        return self.first(INSTRUCTOR) is not None and self.commander != self.first(INSTRUCTOR)

    @property
    def payer(self) -> Membership | None:
        return (self.students[0] if self.students else None) or self.first(PIC) or self.first(INSTRUCTOR)

    def document_holders(self, rule: str) -> list[Membership]:
        holders = [self.first(PIC), self.first(INSTRUCTOR)]
        if rule == "medical" and self.solo:
            holders += self.students
        if rule == "flight_review":
            holders = [self.first(PIC)]
        return [m for m in holders if m is not None]


def _day(facts: BookingFacts) -> date:
    return timezone.localtime(facts.start, facts.organization.tz).date()


def _name(m: Membership) -> str:
    return m.user.display_name


def _documents(rule: str, facts: BookingFacts, crew: _Crew) -> list[tuple[str, dict]]:
    field, label = DOCUMENTS[rule]
    day, out = _day(facts), []
    for m in crew.document_holders(rule):
        expires = getattr(m, field)
        if expires is None:
            out.append((f"{_name(m)} has no {label} on file.", {"membership_id": m.pk, "expires_on": None}))
        elif expires < day:
            out.append((f"{_name(m)}'s {label} expired on {expires:%d %b %Y}.",
                        {"membership_id": m.pk, "expires_on": expires.isoformat(), "day": day.isoformat()}))
    return out


def _same_type(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _checkout(facts: BookingFacts, crew: _Crew) -> list[tuple[str, dict]]:
    m = crew.commander
    if m is None or crew.accompanied:
        return []
    held = AircraftCheckout.objects.filter(membership=m, revoked_at__isnull=True).filter(
        Q(aircraft=facts.aircraft) | ~Q(aircraft_type=""))
    if any(c.aircraft_id == facts.aircraft.pk or _same_type(c.aircraft_type, facts.aircraft.aircraft_type) for c in held):
        return []
    return [(f"{_name(m)} is not checked out on {facts.aircraft.registration} ({facts.aircraft.aircraft_type}).",
             {"membership_id": m.pk, "aircraft_id": facts.aircraft.pk, "aircraft_type": facts.aircraft.aircraft_type})]


def last_flown_on_type(membership: Membership, aircraft_type: str, before: date) -> date | None:
    """The member's latest flight-log entry on the type up to `before`, with a landing (or
    from a check-in alone, where the landings are not known)."""
    entry = (LogbookEntry.objects.filter(membership=membership, date__lte=before,
                                         aircraft__aircraft_type__iexact=" ".join(aircraft_type.split()))
             .filter(Q(landings__gte=1) | Q(flight__isnull=True)).order_by("-date").values_list("date", flat=True).first())
    return entry


def _recency(rules: BookingRules, facts: BookingFacts, crew: _Crew) -> list[tuple[str, dict]]:
    m = crew.commander
    if m is None or crew.accompanied:
        return []
    day = _day(facts)
    last = last_flown_on_type(m, facts.aircraft.aircraft_type, day)
    if last is not None and last >= day - timedelta(days=rules.recency_days):
        return []
    when = f"last on {last:%d %b %Y}" if last else "never here"
    return [(f"{_name(m)} has not flown a {facts.aircraft.aircraft_type} in the last {rules.recency_days} days ({when}).",
             {"membership_id": m.pk, "last_flown_on": last.isoformat() if last else None,
              "recency_days": rules.recency_days})]


def _credit(facts: BookingFacts, crew: _Crew) -> list[tuple[str, dict]]:
    m = crew.payer
    if m is None:
        return []
    balance = account_balance(account_of(m))
    if not balance.over_limit:
        return []
    currency = facts.organization.currency
    return [(f"{_name(m)}'s account is over its credit limit ({currency} {balance.exposure} owed and pending, "
             f"limit {balance.limit}).",
             {"membership_id": m.pk, "owed": str(balance.owed), "pending": str(balance.pending),
              "limit": str(balance.limit)})]


def _active(rules: BookingRules, facts: BookingFacts, crew: _Crew) -> list[tuple[str, dict]]:
    out = []
    members = [m for m in [crew.first(PIC), *crew.students] if m is not None]
    for m in members:
        active = (Booking.objects.filter(crew__membership=m, crew__role__in=(PIC, STUDENT), status=Booking.Status.BOOKED,
                                         end__gt=timezone.now()).distinct())
        if facts.booking is not None:
            active = active.exclude(pk=facts.booking.pk)
        count = active.count()
        if count >= rules.max_active_bookings:
            out.append((f"{_name(m)} already has {count} bookings to fly (the club allows {rules.max_active_bookings}).",
                        {"membership_id": m.pk, "active": count, "max": rules.max_active_bookings}))
    return out


def _horizon(rules: BookingRules, facts: BookingFacts) -> list[tuple[str, dict]]:
    last = timezone.now() + timedelta(days=rules.horizon_days)
    if facts.start <= last:
        return []
    return [(f"Bookings can be made at most {rules.horizon_days} days ahead.",
             {"start": facts.start.isoformat(), "horizon_days": rules.horizon_days})]


def _length(rules: BookingRules, facts: BookingFacts) -> list[tuple[str, dict]]:
    hours = Decimal((facts.end - facts.start).total_seconds()) / 3600
    if hours <= rules.max_length_hours:
        return []
    return [(f"A booking can last at most {rules.max_length_hours} hours.",
             {"hours": str(round(hours, 2)), "max_length_hours": str(rules.max_length_hours)})]


def _solo(facts: BookingFacts, crew: _Crew) -> list[tuple[str, dict]]:
    if not crew.solo:
        return []
    day, out = _day(facts), []
    for m in crew.students:
        held = SoloEndorsement.objects.filter(membership=m, revoked_at__isnull=True, granted_on__lte=day,
                                              expires_on__gte=day)
        if not any(not e.aircraft_type or _same_type(e.aircraft_type, facts.aircraft.aircraft_type) for e in held):
            out.append((f"{_name(m)} holds no solo endorsement for a {facts.aircraft.aircraft_type} on {day:%d %b %Y}.",
                        {"membership_id": m.pk, "day": day.isoformat()}))
    return out


def club_rules(facts: BookingFacts) -> list[RuleFinding]:
    rules = rules_of(facts.organization)
    on = {rule: rules.level_of(rule) for rule in CODES if rules.level_of(rule) != Level.OFF}
    if not on:
        return []
    crew = _Crew(facts.crew)
    simulator = facts.aircraft.kind == Aircraft.Kind.SIMULATOR
    found: list[tuple[str, str, dict]] = []

    def add(rule: str, results: list[tuple[str, dict]]) -> None:
        found.extend((rule, message, data) for message, data in results)

    for rule in ("licence", "medical", "flight_review"):
        if rule in on and not simulator:
            add(rule, _documents(rule, facts, crew))
    if "aircraft_checkout" in on and not simulator:
        add("aircraft_checkout", _checkout(facts, crew))
    if "recency" in on and not simulator:
        add("recency", _recency(rules, facts, crew))
    if "credit_limit" in on:
        add("credit_limit", _credit(facts, crew))
    if facts.stage == BOOKING:
        if "active_bookings" in on:
            add("active_bookings", _active(rules, facts, crew))
        if "horizon" in on:
            add("horizon", _horizon(rules, facts))
        if "length" in on:
            add("length", _length(rules, facts))
    if "solo_endorsement" in on and not simulator:
        add("solo_endorsement", _solo(facts, crew))
    return [RuleFinding(code=CODES[rule], level=on[rule], message=message, facts={"rule": rule, **data})
            for rule, message, data in found]
