"""flights.policy: for every persona and case, the queryset filter and the per-object answer
agree, and they say what the rule says."""

import pytest

from dispatch.models import BookingCrew
from flights import policy
from flights.models import Flight, FlightCrew, LogbookEntry
from tests.conftest import at, make_member

PERSONAS = ["admin", "dispatcher", "mechanic", "instructor", "student", "pilot", "pilot2", "outsider", "inactive"]


@pytest.fixture
def inactive(club):
    return make_member(club, "gone", is_pilot=True, is_admin=True, is_active=False)


@pytest.fixture
def cases(club, other_club, book, aircraft, other_aircraft, pilot, pilot2, student, instructor):
    def flight(name, booking=None, aircraft_=aircraft, organization=club):
        return Flight.objects.create(organization=organization, wiflight_id=name, aircraft=aircraft_,
                                     tail=aircraft_.registration, start=at(12, 9), length_seconds=3600,
                                     engine_seconds=3500, airtime_seconds=3000, booking=booking, source="notification")

    pilots_booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])
    lesson = book(aircraft, at(11, 9), at(11, 11), [(student, BookingCrew.Role.PIC),
                                                    (pilot2, BookingCrew.Role.PASSENGER)])
    flights = {
        "booking crew only": flight("1", booking=pilots_booking),  # FlightCrew not (yet) written
        "flight crew only": flight("2"),
        "student's": flight("3", booking=lesson),
        "nobody's": flight("4"),
        "other club's": flight("5", aircraft_=other_aircraft, organization=other_club),
    }
    FlightCrew.objects.create(flight=flights["flight crew only"], membership=pilot2, wiflight_username="pilot2@x")
    FlightCrew.objects.create(flight=flights["student's"], membership=student, wiflight_username="student@x")

    def entry(owner, f, billed=False):
        return LogbookEntry.objects.create(organization=f.organization, flight=f, membership=owner, date=at(12, 9).date(),
                                           registration=f.tail, block_minutes=60, air_minutes=50,
                                           billed_at=at(13, 9) if billed else None)

    entries = {
        "pilot's": entry(pilot, flights["booking crew only"]),
        "pilot's billed": entry(pilot, flights["nobody's"], billed=True),
        "student's": entry(student, flights["student's"]),
        "pilot2's": entry(pilot2, flights["student's"]),
    }
    return flights, entries


FLIGHTS_SEEN = {
    "admin": {"booking crew only", "flight crew only", "student's", "nobody's"},
    "dispatcher": {"booking crew only", "flight crew only", "student's", "nobody's"},
    "mechanic": {"booking crew only", "flight crew only", "student's", "nobody's"},
    "instructor": {"student's"},
    "student": {"student's"},
    "pilot": {"booking crew only"},
    "pilot2": {"flight crew only", "student's"},
    "outsider": {"other club's"},  # an admin there: their own club's flight
    "inactive": set(),
}
ENTRIES_SEEN = {
    "admin": {"pilot's", "pilot's billed", "student's", "pilot2's"},
    "instructor": {"student's"},
    "student": {"student's"},
    "pilot": {"pilot's", "pilot's billed"},
    "pilot2": {"pilot2's"},
}
ENTRIES_EDITED = {
    "admin": {"pilot's", "pilot's billed", "student's", "pilot2's"},
    "student": {"student's"},
    "pilot": {"pilot's"},
    "pilot2": {"pilot2's"},
}


def _agree(filtered, answer, objects):
    by_filter = {name for name, obj in objects.items() if filtered.filter(pk=obj.pk).exists()}
    by_object = {name for name, obj in objects.items() if answer(obj)}
    assert by_filter == by_object
    return by_filter


@pytest.mark.parametrize("persona", PERSONAS)
def test_flights_filter_and_answer_agree(request, cases, persona):
    actor = request.getfixturevalue(persona)
    flights, _ = cases
    seen = _agree(policy.visible_flights(actor), lambda f: policy.may_see_flight(actor, f), flights)
    assert seen == FLIGHTS_SEEN[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_entries_filter_and_answer_agree(request, cases, persona):
    actor = request.getfixturevalue(persona)
    _, entries = cases
    seen = _agree(policy.visible_entries(actor), lambda e: policy.may_see_entry(actor, e), entries)
    assert seen == ENTRIES_SEEN.get(persona, set())
    edited = {name for name, e in entries.items() if policy.may_edit_entry(actor, e)}
    assert edited == ENTRIES_EDITED.get(persona, set()) and edited <= seen


@pytest.mark.parametrize("persona,may", [("admin", True), ("dispatcher", True), ("mechanic", False),
                                         ("instructor", False), ("pilot", False), ("inactive", False)])
def test_who_assigns_flights(request, persona, may):
    assert policy.may_assign_flights(request.getfixturevalue(persona)) is may


def test_refusals_say_not_found_before_not_allowed(cases, pilot, pilot2, outsider):
    from core.errors import NotAllowed, NotFound

    flights, entries = cases
    with pytest.raises(NotFound):
        policy.require_flight_visible(outsider, flights["nobody's"])
    with pytest.raises(NotFound) as refused:
        policy.require_entry_editable(pilot2, entries["pilot's"])
    assert refused.value.code == "entry_not_found"
    with pytest.raises(NotAllowed) as refused:
        policy.require_entry_editable(pilot, entries["pilot's billed"])
    assert refused.value.code == "entry_billed"
