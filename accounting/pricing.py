"""What a flown booking costs: a pure function of its facts and the terms it is billed on.

No database here: accounting.services.charges gathers the facts (the check-in meters, the
recorder's flights, the crew) and the terms (snapshotted when the booking is first billed),
and turns the parts priced here into invoice lines. Hours and money are Decimal and rounded
half-up once each, by accounting.money.round_to.
"""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from accounting.money import ZERO, hours_from_seconds, round_to

BASIS_WORDS = {"hobbs": "Hobbs", "tach": "tach", "engine": "engine time", "airtime": "airtime"}


@dataclass(frozen=True)
class Terms:
    """The prices a booking is billed at: the aircraft's and its instructor's, and the club's
    rounding, as they were when it was first billed."""

    basis: str = "hobbs"
    wet: bool = True
    taxi_allowance_minutes: int = 0
    minimum_hours: Decimal = ZERO
    rates: dict = field(default_factory=dict)  # member group -> hourly rate
    instructor_flight_rate: Decimal = ZERO
    instructor_ground_rate: Decimal = ZERO
    hours_step: Decimal = Decimal("0.1")
    money_step: Decimal = Decimal("0.01")

    def rate_for(self, group: str) -> Decimal:
        return self.rates.get(group) if self.rates.get(group) is not None else self.rates.get("member", ZERO)

    def as_json(self) -> dict:
        return {k: (str(v) if isinstance(v, Decimal) else {g: None if r is None else str(r) for g, r in v.items()}
                    if isinstance(v, dict) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> "Terms":
        dec = {"minimum_hours", "instructor_flight_rate", "instructor_ground_rate", "hours_step", "money_step"}
        values = {k: Decimal(v) if k in dec else v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["rates"] = {g: None if r is None else Decimal(r) for g, r in data.get("rates", {}).items()}
        return cls(**values)


@dataclass(frozen=True)
class Facts:
    """What is known of a flown booking."""

    registration: str
    day: str  # the club's date of the flight, for line descriptions
    payer_id: int
    payer_group: str = "member"
    instructor_id: int | None = None
    hobbs_hours: Decimal | None = None  # None until checked in
    tach_hours: Decimal | None = None
    flights: tuple = ()  # (engine_seconds, airtime_seconds) of each recorded flight
    fuel_cost: Decimal = ZERO
    ground_hours: Decimal = ZERO


@dataclass(frozen=True)
class Part:
    part: str  # aircraft, instructor_flight, instructor_ground, fuel_credit
    payer_id: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Priced:
    basis: str  # the basis the hours came from (the terms' basis, or Hobbs until the recorder reports)
    hours: Decimal
    parts: tuple[Part, ...]


def billed_hours(facts: Facts, terms: Terms) -> tuple[str, Decimal] | None:
    """(basis used, hours before rounding), or None while nothing says how long it flew.

    Hobbs and tach wait for the check-in. Recorder time waits for a flight, or, when the
    booking is checked in first, bills the Hobbs time until the recorder reports (the flight
    then re-prices it)."""
    if terms.basis == "hobbs":
        return None if facts.hobbs_hours is None else ("hobbs", facts.hobbs_hours)
    if terms.basis == "tach":
        return None if facts.tach_hours is None else ("tach", facts.tach_hours)
    if facts.flights:
        if terms.basis == "engine":
            return "engine", hours_from_seconds(sum(e for e, _ in facts.flights))
        taxi = Decimal(terms.taxi_allowance_minutes * len(facts.flights)) / 60
        return "airtime", hours_from_seconds(sum(a for _, a in facts.flights)) + taxi
    return None if facts.hobbs_hours is None else ("hobbs", facts.hobbs_hours)


def price(facts: Facts, terms: Terms) -> Priced | None:
    measured = billed_hours(facts, terms)
    if measured is None:
        return None
    basis, raw = measured
    money = lambda value: round_to(value, terms.money_step)  # noqa: E731
    flown = round_to(max(raw, ZERO), terms.hours_step)
    hours = max(flown, terms.minimum_hours) if flown > 0 else flown
    rate = terms.rate_for(facts.payer_group)
    minimum = " (minimum)" if hours > flown else ""
    parts = [Part("aircraft", facts.payer_id, f"{facts.registration} {facts.day}: {hours} h {BASIS_WORDS[basis]}{minimum}",
                  hours, rate, money(hours * rate))]
    if facts.instructor_id is not None and facts.instructor_id != facts.payer_id:
        if terms.instructor_flight_rate > 0 and flown > 0:
            parts.append(Part("instructor_flight", facts.payer_id, f"Instruction in flight {facts.day}: {flown} h",
                              flown, terms.instructor_flight_rate, money(flown * terms.instructor_flight_rate)))
        ground = round_to(facts.ground_hours, terms.hours_step)
        if terms.instructor_ground_rate > 0 and ground > 0:
            parts.append(Part("instructor_ground", facts.payer_id, f"Ground instruction {facts.day}: {ground} h",
                              ground, terms.instructor_ground_rate, money(ground * terms.instructor_ground_rate)))
    if terms.wet and facts.fuel_cost > 0:
        credit = money(facts.fuel_cost)
        parts.append(Part("fuel_credit", facts.payer_id, f"Fuel bought for {facts.registration} {facts.day}",
                          Decimal(1), -credit, -credit))
    return Priced(basis=basis, hours=hours, parts=tuple(parts))
