"""maintenance.due held to a brute-force reference: the meter run up in 0.1 h steps, the
calendar walked a day at a time, and the examples the issue quotes."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from maintenance.due import DuePoint, Schedule, State, next_due, standing

D = Decimal
TENTH = D("0.1")

tenths = st.integers(min_value=0, max_value=3000).map(lambda n: D(n) / 10)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))


def _first_hours_at(schedule, due, state) -> Decimal:
    """Run the meter up from 0 in 0.1 h steps until the item is at least `state`."""
    h = D("0")
    while standing(schedule, due, h, date(2030, 1, 1)).state < state:
        h += TENTH
    return h


def _first_day_at(schedule, due, state, start) -> date:
    day = start
    while standing(schedule, due, D("0"), day).state < state:
        day += timedelta(days=1)
    return day


def _end_of_months_walk(done_on: date, months: int) -> date:
    """Walk day by day, counting month changes: the due day is the last day of the month
    `months` changes after the one it was done in."""
    day, changes = done_on, 0
    while True:
        nxt = day + timedelta(days=1)
        if nxt.month != day.month:
            if changes == months:
                return day
            changes += 1
        day = nxt


@settings(max_examples=60, deadline=None)
@given(due_hours=st.integers(min_value=1, max_value=1500).map(lambda n: D(n) / 10), tolerance=tenths.filter(lambda t: t <= 20),
       soon=tenths.filter(lambda s: s <= 30))
def test_hours_states_come_in_order_at_the_due_point_and_past_the_tolerance(due_hours, tolerance, soon):
    schedule = Schedule(interval_hours=D("100"), interval_months=None, tolerance_hours=tolerance, due_soon_hours=soon)
    due = DuePoint(hours=due_hours, on=None)
    assert _first_hours_at(schedule, due, State.DUE_SOON) == max(D("0"), due_hours - soon)
    assert _first_hours_at(schedule, due, State.DUE) == due_hours
    assert _first_hours_at(schedule, due, State.OVERDUE) == due_hours + tolerance + TENTH
    # Never better again once worse: the state only grows with the hours.
    states = [standing(schedule, due, h * TENTH, date(2030, 1, 1)).state for h in range(0, int(due_hours * 10) + 250)]
    assert states == sorted(states)


@settings(max_examples=60, deadline=None)
@given(due_on=days, soon_days=st.integers(min_value=0, max_value=60))
def test_date_states_come_in_order_on_the_due_day_and_the_day_after(due_on, soon_days):
    schedule = Schedule(interval_hours=None, interval_months=12, due_soon_days=soon_days)
    due = DuePoint(hours=None, on=due_on)
    start = due_on - timedelta(days=120)
    assert _first_day_at(schedule, due, State.DUE_SOON, start) == due_on - timedelta(days=soon_days)
    assert _first_day_at(schedule, due, State.DUE, start) == due_on
    assert _first_day_at(schedule, due, State.OVERDUE, start) == due_on + timedelta(days=1)


@settings(max_examples=80, deadline=None)
@given(due_hours=tenths, done_offset=st.integers(min_value=-300, max_value=150).map(lambda n: D(n) / 10),
       interval=st.integers(min_value=1, max_value=2000).map(lambda n: D(n) / 10), done_on=days,
       months=st.none() | st.integers(min_value=1, max_value=36))
def test_next_due_counts_from_the_due_point_when_overflown_and_from_the_done_hours_when_early(
        due_hours, done_offset, interval, done_on, months):
    done_hours = max(D("0"), due_hours + done_offset)
    schedule = Schedule(interval_hours=interval, interval_months=months, tolerance_hours=D("10"))
    after = next_due(schedule, DuePoint(hours=due_hours, on=date(2030, 1, 1) if months else None), done_hours, done_on)
    # Run the meter up from 0: the next inspection falls due where the reference says, at
    # the earlier of the due point and the done hours, plus the interval.
    h = D("0")
    while standing(Schedule(interval_hours=interval, interval_months=None), DuePoint(after.hours, None), h,
                   done_on).state < State.DUE:
        h += TENTH
    assert h == min(done_hours, due_hours) + interval == after.hours
    assert after.on == (_end_of_months_walk(done_on, months) if months else None)


@settings(max_examples=40, deadline=None)
@given(due_hours=tenths, hours_now=tenths, due_on=days, today=days)
def test_whichever_comes_first_is_the_worse_of_the_two(due_hours, hours_now, due_on, today):
    both = Schedule(interval_hours=D("100"), interval_months=12, tolerance_hours=D("10"))
    by_hours = Schedule(interval_hours=D("100"), interval_months=None, tolerance_hours=D("10"))
    by_date = Schedule(interval_hours=None, interval_months=12)
    due = DuePoint(hours=due_hours, on=due_on)
    assert standing(both, due, hours_now, today).state == max(standing(by_hours, due, hours_now, today).state,
                                                              standing(by_date, due, hours_now, today).state)


HUNDRED = Schedule(interval_hours=D("100"), interval_months=None, tolerance_hours=D("10"))
ANNUAL = Schedule(interval_hours=None, interval_months=12)


def test_the_issues_examples():
    due = DuePoint(hours=D("1200"), on=None)
    day = date(2026, 3, 10)
    assert standing(HUNDRED, due, D("1199.9"), day).state == State.DUE_SOON
    assert standing(HUNDRED, due, D("1205"), day).state == State.DUE
    assert standing(HUNDRED, due, D("1210"), day).state == State.DUE
    assert standing(HUNDRED, due, D("1210.1"), day).state == State.OVERDUE
    assert next_due(HUNDRED, due, D("1208"), day).hours == D("1300")  # not 1308
    assert next_due(HUNDRED, due, D("1195"), day).hours == D("1295")
    assert next_due(ANNUAL, DuePoint(hours=None, on=date(2026, 3, 31)), None, date(2026, 3, 10)).on == date(2027, 3, 31)
    assert next_due(ANNUAL, DuePoint(hours=None, on=None), None, date(2024, 1, 31)).on == date(2025, 1, 31)
    assert next_due(Schedule(interval_hours=None, interval_months=1), DuePoint(None, None), None,
                    date(2024, 1, 31)).on == date(2024, 2, 29)
