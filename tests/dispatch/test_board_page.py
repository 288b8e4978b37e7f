"""The board page: frame, slots per step, Book link, week cards, legend, agenda, instructor
rows, a bad date said out loud."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import BookingCrew, InstructorAvailability
from tests.conftest import at, client_for

PIC, INSTRUCTOR, STUDENT = BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR, BookingCrew.Role.STUDENT


def _board(member, club, **query) -> str:
    response = client_for(member).get(reverse("dispatch:board", args=[club.slug]), query)
    assert response.status_code == 200
    return response.content.decode()


def _book_link(html: str, aircraft) -> str:
    match = re.search(rf'<a class="book-row" href="[^"]*\?aircraft={aircraft.pk}([^"]*)"', html)
    assert match, "no Book link"
    return match.group(1).replace("&amp;", "&")


def test_day_view_is_framed_by_operating_hours_and_widened_for_a_booking_outside(dispatcher, club, aircraft, book, pilot):
    html = _board(dispatcher, club, date="2030-06-10")
    ticks = re.findall(r'class="tick"[^>]*>([0-9:]+)<', html)
    assert ticks[0] == "06:00" and ticks[-1] == "21:00" and len(ticks) == 16
    book(aircraft, at(10, 4, 30), at(10, 5, 30), [(pilot, PIC)])
    html = _board(dispatcher, club, date="2030-06-10")
    assert re.findall(r'class="tick"[^>]*>([0-9:]+)<', html)[0] == "04:00"
    assert "04:30–05:30" in html


def test_slots_follow_the_clubs_step_and_carry_start_and_end(pilot, club, aircraft):
    club.booking_step_minutes, club.default_booking_minutes = 15, 90
    club.save()
    html = _board(pilot, club, date="2030-06-10")
    assert 'aria-label="Book F-GABC 14:15"' in html
    assert f"?aircraft={aircraft.pk}&amp;start=2030-06-10T14:15&amp;end=2030-06-10T15:45" in html
    assert html.count('class="slot"') == 16 * 4


def test_slots_under_a_booking_are_left_out_and_a_slot_before_one_ends_at_it(pilot, club, aircraft, book):
    book(aircraft, at(10, 10), at(10, 11), [(pilot, PIC)])
    html = _board(pilot, club, date="2030-06-10")
    assert 'aria-label="Book F-GABC 10:00"' not in html and 'aria-label="Book F-GABC 10:30"' not in html
    assert "start=2030-06-10T09:30&amp;end=2030-06-10T10:00" in html


def test_book_link_proposes_the_next_free_slot_of_a_future_day(pilot, club, aircraft, book):
    assert _book_link(_board(pilot, club, date="2030-06-10"), aircraft) == "&start=2030-06-10T06:00&end=2030-06-10T07:00"
    book(aircraft, at(10, 6), at(10, 7, 30), [(pilot, PIC)])
    assert _book_link(_board(pilot, club, date="2030-06-10"), aircraft) == "&start=2030-06-10T07:30&end=2030-06-10T08:30"


def test_book_link_today_is_not_in_the_past(pilot, club, aircraft):
    club.day_starts, club.day_ends = time(0), time(23, 59)
    club.save()
    now = timezone.localtime(timezone.now(), club.tz)
    link = _book_link(_board(pilot, club), aircraft)
    if link == "":  # the day is over: nothing left to propose today
        assert now.hour == 23
        return
    start = timezone.make_aware(timezone.datetime.fromisoformat(re.search(r"start=([^&]+)", link).group(1)), club.tz)
    assert now - timedelta(minutes=1) < start <= now + timedelta(minutes=30)


def test_week_view_draws_cards_with_time_and_crew_per_day(dispatcher, club, aircraft, book, pilot):
    booking = book(aircraft, at(12, 9), at(12, 9, 30), [(pilot, PIC)])
    html = _board(dispatcher, club, date="2030-06-12", view="week")
    card = re.search(rf'<a id="booking-{booking.pk}" class="block status-booked"([^>]*)>(.*?)</a>', html, re.S)
    assert card, "no card"
    assert "style=" not in card.group(1)  # a card, not a to-scale sliver
    assert "09:00–09:30" in card.group(2) and "Pilot" in card.group(2)
    cells = html.split('class="day-cell')
    assert len(cells) == 8  # seven days
    assert f'booking-{booking.pk}' in cells[3]  # Wednesday


def test_week_view_shows_a_booking_over_midnight_on_both_days_with_one_id(dispatcher, club, aircraft, book, pilot):
    booking = book(aircraft, at(12, 22), at(13, 1), [(pilot, PIC)])
    html = _board(dispatcher, club, date="2030-06-12", view="week")
    assert html.count(f'id="booking-{booking.pk}"') == 1
    assert html.count(f'href="/o/{club.slug}/bookings/{booking.pk}/"') == 2


def test_legend_says_what_colours_and_badges_mean(pilot, club):
    html = _board(pilot, club, date="2030-06-10")
    legend = html[html.index('class="board-legend"'):]
    for words in ("Booked", "Checked out", "Checked in", "At risk", "grounded", "Synced with Wi-Flight"):
        assert words in legend


def test_agenda_lists_the_days_bookings_by_time(dispatcher, club, aircraft, aircraft2, book, pilot, pilot2):
    late = book(aircraft, at(10, 15), at(10, 16), [(pilot, PIC)])
    early = book(aircraft2, at(10, 8), at(10, 9), [(pilot2, PIC)])
    book(aircraft, at(11, 8), at(11, 9), [(pilot, PIC)])
    html = _board(dispatcher, club, date="2030-06-10", view="agenda")
    agenda = html[html.index('class="agenda"'):]
    assert agenda.index("08:00–09:00") < agenda.index("15:00–16:00")
    assert "F-GXYZ" in agenda and "Pilot2" in agenda and agenda.count('class="agenda-item') == 2
    assert f"/bookings/{early.pk}/" in agenda and f"/bookings/{late.pk}/" in agenda
    assert 'href="?view=agenda&amp;date=2030-06-10" aria-current="page"' in html


@pytest.mark.parametrize("view", ["day", "week"])
def test_instructor_rows_show_bookings_and_available_hours_when_the_club_asks(dispatcher, club, aircraft, book,
                                                                              instructor, student, view):
    book(aircraft, at(10, 14), at(10, 15), [(student, PIC), (instructor, INSTRUCTOR)])
    InstructorAvailability.objects.create(organization=club, instructor=instructor, start=at(10, 9), end=at(10, 12))
    assert f'id="in-{instructor.pk}"' not in _board(dispatcher, club, date="2030-06-10", view=view)
    club.show_instructor_rows = True
    club.save()
    html = _board(dispatcher, club, date="2030-06-10", view=view)
    row = html[html.index(f'aria-labelledby="in-{instructor.pk}"'):]
    row = row[:row.index("</section>")]
    assert "Instructor" in row and "Available 09:00–12:00" in row and "14:00–15:00" in row


def test_bad_date_is_said_and_today_shown(dispatcher, club):
    html = _board(dispatcher, club, date="2030-13-01")
    assert "Not a date: “2030-13-01”; showing" in html
    assert timezone.localdate(timezone=club.tz).strftime("%Y") in html


def test_board_links_instructors_to_their_hours(instructor, pilot, club):
    assert reverse("dispatch:availability", args=[club.slug]) in _board(instructor, club)
    assert reverse("dispatch:availability", args=[club.slug]) not in _board(pilot, club)


@pytest.mark.parametrize("view", ["day", "week"])
def test_instructor_rows_cost_a_fixed_number_of_queries(dispatcher, club, aircraft, book, instructor, student, view):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_member

    club.show_instructor_rows = True
    club.save()
    client = client_for(dispatcher)
    url = reverse("dispatch:board", args=[club.slug])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"date": "2030-06-10", "view": view}).status_code == 200
        return len(ctx.captured_queries)

    book(aircraft, at(10, 7), at(10, 8), [(student, PIC), (instructor, INSTRUCTOR)])
    small = queries()
    for n in range(3):
        other = make_member(club, f"teacher{n}", is_instructor=True, is_pilot=True)
        InstructorAvailability.objects.create(organization=club, instructor=other, start=at(10, 8 + n), end=at(10, 9 + n))
        book(aircraft, at(10, 10 + 2 * n), at(10, 11 + 2 * n), [(other, PIC)])
    assert queries() == small


def test_an_instructors_available_hours_book_a_lesson_with_them(student, club, instructor, outsider):
    club.show_instructor_rows = True
    club.save()
    InstructorAvailability.objects.create(organization=club, instructor=instructor, start=at(10, 9), end=at(10, 12))
    html = _board(student, club, date="2030-06-10")
    new = reverse("dispatch:booking_new", args=[club.slug])
    link = f'{new}?instructor={instructor.pk}&amp;start=2030-06-10T09:00&amp;end=2030-06-10T10:00'
    assert link in html and f'href="{new}?instructor={instructor.pk}"' in html
    # The lesson's form: the instructor and the student who asked, at the available hour.
    form = client_for(student).get(new, {"instructor": instructor.pk, "start": "2030-06-10T09:00",
                                         "end": "2030-06-10T10:00"}).context["form"]
    assert (form.initial["instructor"], form.initial["student"]) == (instructor.pk, student.pk)
    assert "pic" not in form.initial
    # Someone who is not an instructor of this club is not prefilled.
    for stranger in (outsider.pk, student.pk, "x"):
        form = client_for(student).get(new, {"instructor": stranger}).context["form"]
        assert "instructor" not in form.initial and form.initial["pic"] == student.pk
