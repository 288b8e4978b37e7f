"""When a maintenance item is due, and where signing it off moves the next due point.

Pure functions on Decimals and dates (no database), so the property test can hold them to a
brute-force reference (tests/maintenance/test_due_properties.py).

- Hours: an item is due at `due.hours` on the aircraft's meter (maintenance.chain). Flying
  past it is allowed only within `tolerance` (10 h for a 100-hour, to reach the inspection):
  from the due point to due + tolerance it is DUE; beyond, OVERDUE.
- Dates: due on `due.on`; it may be flown that day (DUE), OVERDUE from the next day.
- Both: whichever comes first: the worse of the two states.
- Signing off: an hour interval counts from the previous due point when the item was
  overflown (the tolerance used to reach the inspection is not a gift: the next one is due
  from where this one was due), and from the hours it was done at when done early. A month
  interval counts in calendar months from the day it was done, due at the end of that month
  (an annual done on 10 March 2026 is due by 31 March 2027).
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import IntEnum


class State(IntEnum):
    OK = 0
    DUE_SOON = 1
    DUE = 2  # at or past the due point, within the tolerance: fly only to the inspection
    OVERDUE = 3

    @property
    def label(self) -> str:
        return {0: "OK", 1: "Due soon", 2: "Due now", 3: "Overdue"}[self.value]


@dataclass(frozen=True)
class Schedule:
    interval_hours: Decimal | None
    interval_months: int | None
    tolerance_hours: Decimal = Decimal("0")
    due_soon_hours: Decimal = Decimal("10")
    due_soon_days: int = 30


@dataclass(frozen=True)
class DuePoint:
    hours: Decimal | None
    on: date | None


@dataclass(frozen=True)
class Standing:
    state: State
    hours_left: Decimal | None  # negative once past the due point
    days_left: int | None


def hours_state(due: Decimal, tolerance: Decimal, soon: Decimal, hours_now: Decimal) -> State:
    if hours_now > due + tolerance:
        return State.OVERDUE
    if hours_now >= due:
        return State.DUE
    if due - hours_now <= soon:
        return State.DUE_SOON
    return State.OK


def date_state(due: date, soon_days: int, today: date) -> State:
    if today > due:
        return State.OVERDUE
    if today == due:
        return State.DUE
    if (due - today).days <= soon_days:
        return State.DUE_SOON
    return State.OK


def standing(schedule: Schedule, due: DuePoint, hours_now: Decimal, today: date) -> Standing:
    state, hours_left, days_left = State.OK, None, None
    if schedule.interval_hours is not None and due.hours is not None:
        hours_left = due.hours - hours_now
        state = max(state, hours_state(due.hours, schedule.tolerance_hours, schedule.due_soon_hours, hours_now))
    if schedule.interval_months is not None and due.on is not None:
        days_left = (due.on - today).days
        state = max(state, date_state(due.on, schedule.due_soon_days, today))
    return Standing(state=state, hours_left=hours_left, days_left=days_left)


def end_of_month_after(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def next_due(schedule: Schedule, due: DuePoint, done_hours: Decimal | None, done_on: date) -> DuePoint:
    hours = None
    if schedule.interval_hours is not None:
        if done_hours is None:
            raise ValueError("an item due by hours is signed off at the hours it was done")
        overflown = due.hours is not None and done_hours > due.hours
        hours = (due.hours if overflown else done_hours) + schedule.interval_hours
    on = end_of_month_after(done_on, schedule.interval_months) if schedule.interval_months is not None else None
    return DuePoint(hours=hours, on=on)
