"""The board's rows drawn in Python (dispatch/templatetags/board_rows.py) give the very HTML the
templates gave: the old templates are kept in tests/dispatch/board_reference/ and the same
page is rendered with each. And what a member or an aircraft carries is escaped on both views.

When the board's HTML changes on purpose, change the reference templates with it (they are the
specification of the markup the CSS, the browser tests and a page without JavaScript rely on)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from dispatch import extensions
from dispatch.models import Aircraft, Booking, BookingCrew, InstructorAvailability
from integrations.wiflight.models import ReservationSync
from tests.conftest import at, client_for, make_member

REFERENCE = Path(__file__).parent / "board_reference"
PIC, INSTRUCTOR, STUDENT, PASSENGER = (BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR, BookingCrew.Role.STUDENT,
                                       BookingCrew.Role.PASSENGER)
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def schedule(club, dispatcher, instructor, student, pilot, aircraft, aircraft2, book):
    """A week with most of what the board can draw: instructor rows and their hours, a grounded
    aircraft with a booking at risk, a simulator, bookings flown and flying, every sync state,
    overlapping bookings in lanes, and names and tails that are HTML."""
    club.show_instructor_rows = True
    club.save()
    hostile = make_member(club, "hostile", is_pilot=True)
    hostile.user.full_name = HOSTILE
    hostile.user.save()
    other = make_member(club, "other", is_pilot=True)
    sim = Aircraft.objects.create(organization=club, registration="SIM-1", aircraft_type="Redbird", kind="simulator",
                                  has_wiflight_recorder=False)
    odd = Aircraft.objects.create(organization=club, registration="<B>&AMP;", aircraft_type=HOSTILE)
    grounded = Aircraft.objects.create(organization=club, registration="F-GRND", aircraft_type="Piper PA-28")
    made = [
        book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)]),
        book(aircraft, at(10, 14), at(10, 15), [(instructor, INSTRUCTOR), (student, STUDENT)]),
        book(aircraft, at(11, 23), at(12, 1), [(hostile, PIC)]),  # over midnight: two week cells
        book(aircraft2, at(10, 11), at(10, 13), [(hostile, PIC), (pilot, PASSENGER)]),
        book(aircraft2, at(12, 9), at(12, 10), [(pilot, PIC)]),
        book(aircraft2, at(13, 10), at(13, 12), [(student, PIC)]),
        book(sim, at(10, 12), at(10, 13), [(student, PIC), (instructor, INSTRUCTOR)]),
        book(odd, at(10, 7), at(10, 8), [(hostile, PIC)]),
        book(odd, at(14, 16), at(14, 17), [(pilot, PIC)]),
        book(grounded, at(10, 10), at(10, 12), [(other, PIC)]),
        book(aircraft, at(10, 15), at(10, 15, 30), [(other, PIC)]),  # drawn touching the one before: a lane
    ]
    Booking.objects.filter(pk=made[0].pk).update(status=Booking.Status.DISPATCHED)
    Booking.objects.filter(pk=made[3].pk).update(status=Booking.Status.COMPLETED)
    states = [("synced", False, ""), ("dead", False, "HTTP 403 <forbidden>"), ("failed", False, "timeout & retry"),
              ("synced", True, ""), ("pending", False, "")]
    for booking, (state, deleted, error) in zip(made, states):
        ReservationSync.objects.filter(booking=booking).update(state=state, synced_deleted=deleted, last_error=error)
    Aircraft.objects.filter(pk=grounded.pk).update(status=Aircraft.Status.GROUNDED, grounded_reason=f"Flat tyre {HOSTILE}")
    InstructorAvailability.objects.create(organization=club, instructor=instructor, start=at(10, 8), end=at(10, 12))
    InstructorAvailability.objects.create(organization=club, instructor=instructor, start=at(12, 13), end=at(12, 18))
    return made


@pytest.fixture
def notes(schedule):
    """Maintenance notes on every aircraft row, one of them a grounded aircraft's reason (not repeated)."""
    def provider(*, request, board) -> dict:
        return {"aircraft_notes": {row.aircraft.pk: [{"level": "due_soon", "text": f"100-hour {HOSTILE}"},
                                                     {"level": "overdue", "text": row.aircraft.grounded_reason}]
                                   for row in board.rows if row.aircraft is not None and row.aircraft.is_grounded}
                | {row.aircraft.pk: [{"level": "due", "text": "Annual"}]
                   for row in board.rows if row.aircraft is not None and not row.aircraft.is_grounded}}

    extensions.register("board_page", provider)
    yield
    extensions._providers["board_page"].remove(provider)


def _page(member, club, view: str, date: str) -> str:
    response = client_for(member).get(reverse("dispatch:board", args=[club.slug]), {"view": view, "date": date})
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize("view,date", [("day", "2030-06-10"), ("day", "2030-06-12"), ("week", "2030-06-10")])
@pytest.mark.parametrize("persona", ["dispatcher", "pilot", "viewer"])
def test_the_board_draws_the_same_html_as_the_templates_it_replaced(request, settings, notes, club, persona,
                                                                     view, date):
    member = make_member(club, "viewer", is_viewer=True) if persona == "viewer" else request.getfixturevalue(persona)
    drawn = _page(member, club, view, date)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [REFERENCE, *settings.TEMPLATES[0]["DIRS"]]}]
    reference = _page(member, club, view, date)
    assert "board_rows" not in reference  # really the old templates
    assert drawn.count('class="block ') >= 2 and drawn.count("maint-due") >= 2
    assert drawn == reference


@pytest.mark.parametrize("view", ["day", "week"])
def test_names_tails_and_reasons_are_escaped_on_the_board(notes, club, dispatcher, view):
    html = _page(dispatcher, club, view, "2030-06-10")
    assert "<script>" not in html.split("<body", 1)[1].replace('<script src=', "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html  # the pilot's name, the aircraft's type
    assert "&lt;B&gt;&amp;AMP;" in html  # the tail, its & escaped once
    assert "Flat tyre &lt;script&gt;" in html and "100-hour &lt;script&gt;" in html
