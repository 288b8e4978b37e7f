"""dispatch.policy: every persona against every case, and the queryset filter agreeing with
the per-object answer (computed from the prefetched crew, as the board does)."""

import pytest

from dispatch import policy
from dispatch.models import Booking, BookingCrew
from dispatch.selectors import crew_prefetch
from tests.conftest import at, make_member

PIC, INSTR, STUDENT, PAX = (BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR,
                            BookingCrew.Role.STUDENT, BookingCrew.Role.PASSENGER)


@pytest.fixture
def world(club, admin, dispatcher, mechanic, instructor, student, pilot, pilot2, outsider, other_aircraft,
          aircraft, book):
    from dispatch.services.bookings import BookingInput, booking_create

    gone = make_member(club, "gone", is_pilot=True)
    cases = {
        "own": book(aircraft, at(10, 8), at(10, 9), [(pilot, PIC)]),
        "crew": book(aircraft, at(10, 9), at(10, 10), [(pilot2, PIC), (pilot, PAX)]),
        "student_solo": book(aircraft, at(10, 10), at(10, 11), [(student, PIC)]),
        "lesson": book(aircraft, at(10, 11), at(10, 12), [(instructor, INSTR), (student, STUDENT)]),
        "student_rides": book(aircraft, at(10, 12), at(10, 13), [(pilot2, PIC), (student, PAX)]),
        "created_by": book(aircraft, at(10, 13), at(10, 14), [(pilot, PIC)], actor=pilot),
        "inactive_crew": book(aircraft, at(10, 14), at(10, 15), [(gone, PIC)]),
        "other_club": booking_create(actor=outsider, data=BookingInput(
            aircraft=other_aircraft, start=at(10, 8), end=at(10, 9), crew=[(outsider, PIC)])),
    }
    # The creator taken off the crew afterwards.
    BookingCrew.objects.filter(booking=cases["created_by"]).update(membership=pilot2)
    gone.is_active = False
    gone.save()
    inactive = make_member(club, "inactive", is_pilot=True, is_admin=True)
    inactive.is_active = False
    inactive.save()
    personas = {"admin": admin, "dispatcher": dispatcher, "mechanic": mechanic, "instructor": instructor,
                "student": student, "pilot": pilot, "pilot2": pilot2, "outsider": outsider, "inactive": inactive}
    return personas, cases


SEES = {
    "admin": {"own", "crew", "student_solo", "lesson", "student_rides", "created_by", "inactive_crew"},
    "dispatcher": {"own", "crew", "student_solo", "lesson", "student_rides", "created_by", "inactive_crew"},
    "mechanic": {"own", "crew", "student_solo", "lesson", "student_rides", "created_by", "inactive_crew"},
    "instructor": {"student_solo", "lesson"},
    "student": {"student_solo", "lesson", "student_rides"},
    "pilot": {"own", "crew"},
    "pilot2": {"crew", "student_rides", "created_by"},
    "outsider": {"other_club"},
    "inactive": set(),
}
CHANGES = {
    "admin": SEES["admin"], "dispatcher": SEES["dispatcher"], "mechanic": set(),
    "instructor": {"student_solo", "lesson"},
    "student": {"student_solo", "lesson"},  # not the flight they ride on as a passenger
    "pilot": {"own"},  # a passenger of "crew", the creator of "created_by": neither changes it
    "pilot2": {"crew", "student_rides", "created_by"},
    "outsider": {"other_club"},
    "inactive": set(),
}


def test_every_persona_against_every_case(world):
    personas, cases = world
    for who, actor in personas.items():
        visible = set(policy.bookings_visible(actor).values_list("pk", flat=True))
        changeable = set(policy.bookings_changeable(actor).values_list("pk", flat=True))
        for case, booking in cases.items():
            loaded = Booking.objects.prefetch_related(crew_prefetch()).get(pk=booking.pk)
            sees, changes = policy.may_see_booking(actor, loaded), policy.may_change_booking(actor, loaded)
            assert sees == (booking.pk in visible), f"{who} / {case}: filter and object disagree on seeing"
            assert changes == (booking.pk in changeable), f"{who} / {case}: filter and object disagree on changing"
            assert sees == (case in SEES[who]), f"{who} / {case}: sees={sees}"
            assert changes == (case in CHANGES[who]), f"{who} / {case}: changes={changes}"


def test_whoever_may_change_a_booking_may_see_it(world):
    personas, _ = world
    for actor in personas.values():
        assert set(policy.bookings_changeable(actor)) <= set(policy.bookings_visible(actor))


def test_the_per_object_answer_needs_no_query_once_crew_is_prefetched(world, django_assert_num_queries):
    personas, cases = world
    loaded = list(Booking.objects.prefetch_related(crew_prefetch()))
    with django_assert_num_queries(0):
        for actor in personas.values():
            for booking in loaded:
                policy.may_see_booking(actor, booking)
                policy.may_change_booking(actor, booking)


def test_dispatch_and_fleet_capabilities(world):
    personas, _ = world
    assert {w for w, a in personas.items() if policy.may_dispatch(a)} == {"admin", "dispatcher", "outsider"}
    assert {w for w, a in personas.items() if policy.may_manage_fleet(a)} == {"admin", "outsider"}
    assert {w for w, a in personas.items() if policy.may_set_aircraft_status(a)} == {
        "admin", "dispatcher", "mechanic", "outsider"}
