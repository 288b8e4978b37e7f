"""Random booking sequences against a brute-force reference of the overlap rules."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch.models import Booking, BookingCrew
from tests.conftest import at, make_member

BASE = at(10, 6)
attempt = st.tuples(
    st.integers(0, 1),        # aircraft
    st.integers(0, 2),        # pilot
    st.integers(0, 40),       # start, in quarter hours after 06:00
    st.integers(-2, 12),      # length in quarter hours (<= 0 is invalid)
)


def overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=st.lists(attempt, min_size=1, max_size=12))
def test_service_accepts_exactly_what_the_reference_accepts(attempts, club, aircraft, aircraft2, book):
    fleet = [aircraft, aircraft2]
    pilots = list(club.memberships.filter(user__username__startswith="prop"))
    if not pilots:
        pilots = [make_member(club, f"prop{i}", is_pilot=True) for i in range(3)]
    with transaction.atomic():
        accepted = []  # (aircraft, pilot, start, end)
        for ac, pilot, start_q, length_q in attempts:
            start, end = start_q, start_q + length_q
            expect_ok = length_q > 0 and not any(
                (a == ac or p == pilot) and overlaps((start, end), (s, e)) for a, p, s, e in accepted)
            try:
                book(fleet[ac], BASE + timedelta(minutes=15 * start), BASE + timedelta(minutes=15 * end),
                     [(pilots[pilot], BookingCrew.Role.PIC)])
                ok = True
            except ValidationError:
                ok = False
            assert ok == expect_ok, (attempts, accepted, (ac, pilot, start, end))
            if ok:
                accepted.append((ac, pilot, start, end))
        assert Booking.objects.count() == len(accepted)
        transaction.set_rollback(True)
