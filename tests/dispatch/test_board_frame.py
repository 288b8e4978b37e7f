"""The board's frame (operating hours, widened for bookings outside them, true on DST days),
the step grid and each aircraft's next free slot: board.py without a browser."""

from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from types import SimpleNamespace

import pytest
from hypothesis import given, settings, strategies as st

from dispatch.board import ceil_to_step, day_frame, next_free_slot
from tests.conftest import PARIS, at

HOUR = timedelta(hours=1)


def _club(**settings):
    values = {"tz": PARIS, "day_starts": time(6), "day_ends": time(22), "booking_step_minutes": 30,
              "default_booking_minutes": 60, **settings}
    return SimpleNamespace(**values)


def _booking(start, end, status="booked"):
    return SimpleNamespace(start=start, end=end, status=status)


def test_frame_is_the_clubs_operating_hours():
    start, end = day_frame(date(2030, 6, 10), _club())
    assert (start, end) == (at(10, 6), at(10, 22))


def test_frame_widens_to_whole_hours_to_show_bookings_outside_it():
    early, late = _booking(at(10, 5, 15), at(10, 6, 30)), _booking(at(10, 22, 10), at(10, 22, 40))
    assert day_frame(date(2030, 6, 10), _club(), [early, late]) == (at(10, 5), at(10, 23))


def test_a_booking_over_midnight_is_pinned_at_the_days_edge():
    overnight = _booking(at(10, 21), at(11, 2))
    assert day_frame(date(2030, 6, 10), _club(), [overnight]) == (at(10, 6), at(11, 0))
    assert day_frame(date(2030, 6, 11), _club(), [overnight]) == (at(11, 0), at(11, 22))


def test_bookings_of_other_days_leave_the_frame_alone():
    assert day_frame(date(2030, 6, 10), _club(), [_booking(at(11, 3), at(11, 4))]) == (at(10, 6), at(10, 22))


@pytest.mark.parametrize("day,hours", [(date(2030, 3, 31), 23), (date(2030, 10, 27), 25), (date(2030, 6, 10), 24)])
def test_a_whole_day_frame_is_true_on_daylight_saving_days(day, hours):
    start, end = day_frame(day, _club(day_starts=time(0), day_ends=time(23, 59)))
    assert end - start == timedelta(hours=hours)
    assert start.astimezone(PARIS).time() == time(0) and end.astimezone(PARIS).time() == time(0)


def test_operating_hours_on_a_dst_day_are_wall_clock_hours():
    start, end = day_frame(date(2030, 3, 31), _club(day_starts=time(1), day_ends=time(5)))
    # 01:00 to 05:00 Paris that night is three real hours (02:00-03:00 does not exist).
    assert end - start == 3 * HOUR
    assert end.astimezone(PARIS).time() == time(5)


@pytest.mark.parametrize("step,moment,expected", [
    (15, at(10, 9, 7), at(10, 9, 15)), (15, at(10, 9, 15), at(10, 9, 15)), (30, at(10, 9, 31), at(10, 10)),
    (60, at(10, 9, 1), at(10, 10)), (5, at(10, 9, 0, ) + timedelta(seconds=1), at(10, 9, 5)),
])
def test_ceil_to_step(step, moment, expected):
    assert ceil_to_step(moment, PARIS, timedelta(minutes=step)) == expected


def test_next_free_slot_today_is_from_now_rounded_up_to_the_step():
    now = at(10, 10, 7)
    assert next_free_slot([], organization=_club(booking_step_minutes=15), day=now.date(), now=now) == at(10, 10, 15)


def test_next_free_slot_skips_bookings_and_gaps_too_short():
    club = _club(booking_step_minutes=15)
    taken = [_booking(at(10, 10), at(10, 11, 5)), _booking(at(10, 11, 45), at(10, 13))]
    # 11:15 is free but only for 30 min before 11:45; the default hour fits from 13:00.
    assert next_free_slot(taken, organization=club, day=date(2030, 6, 10), now=at(10, 10, 20)) == at(10, 13)


def test_next_free_slot_of_a_future_day_starts_at_opening():
    taken = [_booking(at(12, 6), at(12, 7, 30))]
    assert next_free_slot(taken, organization=_club(), day=date(2030, 6, 12), now=at(10, 15)) == at(12, 7, 30)


def test_next_free_slot_stays_within_operating_hours():
    assert next_free_slot([], organization=_club(), day=date(2030, 6, 10), now=at(10, 21, 10)) is None
    assert next_free_slot([_booking(at(10, 6), at(10, 21, 30))], organization=_club(), day=date(2030, 6, 10),
                          now=at(10, 5)) is None
    assert next_free_slot([], organization=_club(), day=date(2030, 6, 10), now=at(10, 2)) == at(10, 6)


def test_next_free_slot_on_a_dst_morning():
    # Paris springs forward at 02:00 on 2030-03-31: 01:50 + 10 min is 03:00 local.
    club = _club(day_starts=time(0), day_ends=time(23, 59), booking_step_minutes=30)
    now = datetime(2030, 3, 31, 1, 50, tzinfo=PARIS)
    free = next_free_slot([], organization=club, day=date(2030, 3, 31), now=now)
    assert free - now == timedelta(minutes=10)
    assert free.astimezone(PARIS).time() == time(3)


def _free(bookings, start, end) -> bool:
    return all(b.end <= start or b.start >= end for b in bookings)


@settings(max_examples=200, deadline=None)
@given(
    day=st.sampled_from([date(2030, 3, 31), date(2030, 6, 10), date(2030, 10, 27)]),
    step=st.sampled_from([5, 10, 15, 30, 60]),
    length=st.integers(1, 36).map(lambda n: n * 5),
    now_minute=st.integers(0, 24 * 60 - 1),
    cuts=st.lists(st.integers(0, 24 * 12), max_size=12, unique=True),
)
def test_next_free_slot_is_the_first_free_step_in_hours(day, step, length, now_minute, cuts):
    club = _club(booking_step_minutes=step, default_booking_minutes=length)
    midnight = datetime.combine(day, time(0), tzinfo=PARIS).astimezone(dt_timezone.utc)
    now = midnight + timedelta(minutes=now_minute)
    points = sorted(midnight + timedelta(minutes=5 * c) for c in cuts)
    bookings = [_booking(a, b) for a, b in zip(points[::2], points[1::2])]  # disjoint, any length
    free = next_free_slot(bookings, organization=club, day=day, now=now)

    opens = datetime.combine(day, time(6), tzinfo=PARIS)
    closes = datetime.combine(day, time(22), tzinfo=PARIS)
    # The oracle: every step of the day from opening, in real time.
    candidates = [opens + timedelta(minutes=step * k) for k in range(16 * 60 // step + 1)]
    # A step the clock has partly passed is not proposed: from now, rounded up to the step.
    fitting = [c for c in candidates if c >= now and c + timedelta(minutes=length) <= closes
               and _free(bookings, c, c + timedelta(minutes=length))]
    assert free == (fitting[0] if fitting else None)


def test_an_aircraft_still_out_after_its_booking_is_not_free():
    from dispatch.models import Booking

    overdue = SimpleNamespace(start=at(10, 8), end=at(10, 10), status=Booking.Status.DISPATCHED)
    now = at(10, 10, 40)
    # Due back at 10:00, still out at 10:40: the next free slot is after now, on the step.
    assert next_free_slot([overdue], organization=_club(), day=date(2030, 6, 10), now=now) == at(10, 11)
    back = SimpleNamespace(start=at(10, 8), end=at(10, 10), status=Booking.Status.COMPLETED)
    assert next_free_slot([back], organization=_club(), day=date(2030, 6, 10), now=now) == at(10, 11)
    booked = SimpleNamespace(start=at(10, 8), end=at(10, 12), status=Booking.Status.BOOKED)
    assert next_free_slot([booked], organization=_club(), day=date(2030, 6, 10), now=now) == at(10, 12)


def test_next_free_slot_across_the_spring_gap_with_a_day_from_midnight():
    # 2030-03-31 in Paris: 02:00 does not exist (01:59 CET is followed by 03:00 CEST).
    club = _club(day_starts=time(0), day_ends=time(23, 59))
    now = datetime(2030, 3, 31, 1, 40, tzinfo=PARIS)
    assert next_free_slot([], organization=club, day=date(2030, 3, 31), now=now) == datetime(2030, 3, 31, 3, 0, tzinfo=PARIS)
    # A booking 03:00-04:00 CEST pushes it to 04:00; an hour of real time, not of wall clock.
    taken = _booking(datetime(2030, 3, 31, 3, 0, tzinfo=PARIS), datetime(2030, 3, 31, 4, 0, tzinfo=PARIS))
    assert next_free_slot([taken], organization=club, day=date(2030, 3, 31), now=now) == datetime(2030, 3, 31, 4, 0, tzinfo=PARIS)


def test_next_free_slot_in_the_repeated_autumn_hour():
    # 2030-10-27 in Paris: 02:00-03:00 happens twice. 02:40 CEST (00:40 UTC) rounds to 02:00 CET.
    club = _club(day_starts=time(0), day_ends=time(23, 59))
    now = datetime(2030, 10, 27, 0, 40, tzinfo=dt_timezone.utc)
    slot = next_free_slot([], organization=club, day=date(2030, 10, 27), now=now)
    assert slot == datetime(2030, 10, 27, 1, 0, tzinfo=dt_timezone.utc)
    assert slot - now == timedelta(minutes=20)
