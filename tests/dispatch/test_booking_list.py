"""The club's bookings list: filters, search, bad query values, paging, columns, query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.models import Booking, BookingCrew
from dispatch.services.bookings import booking_cancel
from integrations.wiflight.models import ReservationSync
from tests.conftest import at, client_for, make_member


def _url(club):
    return reverse("dispatch:booking_list", args=[club.slug])


def _shown(response) -> list[int]:
    return [b.pk for b in response.context["page"].object_list]


def bulk_bookings(club, aircraft, member, count, first=None, step=timedelta(hours=2)):
    """`count` back-to-back bookings (straight rows: the service's checks are not the subject)."""
    first = first or at(10, 6)
    made = Booking.objects.bulk_create(
        Booking(organization=club, aircraft=aircraft, start=first + i * step, end=first + i * step + timedelta(hours=1))
        for i in range(count))
    BookingCrew.objects.bulk_create(BookingCrew(booking=b, membership=member, role=BookingCrew.Role.PIC) for b in made)
    return made


@pytest.fixture
def week(book, aircraft, aircraft2, pilot, pilot2, instructor, student):
    return {
        "mon": book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)]),
        "tue": book(aircraft2, at(11, 9), at(11, 10), [(pilot2, BookingCrew.Role.PIC)]),
        "lesson": book(aircraft, at(12, 14), at(12, 15), [(instructor, BookingCrew.Role.INSTRUCTOR),
                                                          (student, BookingCrew.Role.STUDENT)], purpose="training"),
    }


def test_a_dispatcher_sees_crew_roles_purpose_status_and_sync_columns(dispatcher, club, week):
    r = client_for(dispatcher).get(_url(club), {"from": "2030-06-10", "to": "2030-06-16"})
    page = r.content.decode()
    assert r.status_code == 200
    for heading in ("When", "Aircraft", "Crew", "Purpose", "Status", "Wi-Flight"):
        assert f'<th scope="col">{heading}</th>' in page
    assert "Instructor <span class=\"muted\">(Instructor)</span>" in page
    assert "Student <span class=\"muted\">(Student)</span>" in page
    assert "Pilot <span class=\"muted\">(Pilot in command)</span>" in page
    assert "Training" in page and "Booked" in page
    assert "Mon 10 Jun 2030 09:00–11:00" in page  # club local time (Paris), not UTC


@pytest.mark.parametrize("q, expected", [
    ("f-gxyz", ["tue"]), ("FGXYZ", ["tue"]), ("f gxyz", ["tue"]), ("pilot2", ["tue"]),
    ("STUDENT", ["lesson"]), ("gabc", ["mon", "lesson"]), ("nobody-here", []),
])
def test_search_by_member_or_registration_however_typed(dispatcher, club, week, q, expected):
    r = client_for(dispatcher).get(_url(club), {"q": q, "from": "2030-06-01"})
    assert _shown(r) == [week[k].pk for k in expected]


def test_filters_by_date_aircraft_member_and_status(dispatcher, club, week, aircraft, student):
    client = client_for(dispatcher)
    assert _shown(client.get(_url(club), {"from": "2030-06-11", "to": "2030-06-11"})) == [week["tue"].pk]
    assert _shown(client.get(_url(club), {"from": "2030-06-01", "aircraft": aircraft.pk})) == [
        week["mon"].pk, week["lesson"].pk]
    assert _shown(client.get(_url(club), {"from": "2030-06-01", "member": student.pk})) == [week["lesson"].pk]
    booking_cancel(actor=dispatcher, booking=week["mon"], reason="Weather")
    cancelled = client.get(_url(club), {"from": "2030-06-01", "status": "cancelled"})
    assert _shown(cancelled) == [week["mon"].pk] and "Weather" in cancelled.content.decode()


def test_the_day_is_the_clubs_local_day(dispatcher, club, book, aircraft, pilot):
    # 00:30 in Paris on the 11th is 22:30 UTC on the 10th: it belongs to the 11th.
    late = book(aircraft, at(11, 0, 30), at(11, 1, 30), [(pilot, BookingCrew.Role.PIC)])
    client = client_for(dispatcher)
    assert _shown(client.get(_url(club), {"from": "2030-06-11", "to": "2030-06-11"})) == [late.pk]
    assert _shown(client.get(_url(club), {"from": "2030-06-10", "to": "2030-06-10"})) == []


@pytest.mark.parametrize("query, field", [
    ({"from": "2030-02-30"}, "from"), ({"from": "yesterday"}, "from"), ({"to": "9999-12-31"}, "to"),
    ({"from": "0001-01-01"}, "from"), ({"from": "2030-06-12", "to": "2030-06-10"}, "to"),
    ({"aircraft": "²"}, "aircraft"), ({"aircraft": "1" * 40}, "aircraft"), ({"aircraft": "-3"}, "aircraft"),
    ({"member": "abc"}, "member"), ({"member": "999999"}, "member"), ({"status": "lost"}, "status"),
    ({"page": "two"}, "page"), ({"page": "0"}, "page"), ({"page": "-1"}, "page"), ({"page": "99"}, "page"),
    ({"q": "x" * 101}, "q"),
])
def test_every_bad_query_value_is_an_error_on_the_form(dispatcher, club, week, query, field):
    r = client_for(dispatcher).get(_url(club), query)
    assert r.status_code == 400
    assert list(r.context["form"].errors) == [field]
    assert 'class="error"' in r.content.decode() and r.context["page"] is None


def test_another_clubs_aircraft_or_member_is_not_a_filter(dispatcher, club, outsider, other_aircraft):
    client = client_for(dispatcher)
    assert list(client.get(_url(club), {"aircraft": other_aircraft.pk}).context["form"].errors) == ["aircraft"]
    assert list(client.get(_url(club), {"member": outsider.pk}).context["form"].errors) == ["member"]


def test_paging_goes_past_200_rows_and_keeps_the_filters(dispatcher, club, aircraft, pilot):
    made = bulk_bookings(club, aircraft, pilot, 230)
    client = client_for(dispatcher)
    query = {"from": "2030-06-01", "aircraft": aircraft.pk}
    first = client.get(_url(club), query)
    assert first.context["page"].paginator.num_pages == 5 and len(_shown(first)) == 50
    assert "from=2030-06-01&amp;aircraft=" in first.content.decode()  # page links keep the filters
    last = client.get(_url(club), {**query, "page": 5})
    assert _shown(last) == [b.pk for b in made[200:]]
    seen = [pk for n in range(1, 6) for pk in _shown(client.get(_url(club), {**query, "page": n}))]
    assert seen == [b.pk for b in made]


def test_query_count_does_not_grow_with_rows(dispatcher, club, aircraft, aircraft2, pilot, pilot2):
    client = client_for(dispatcher)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(club), {"from": "2030-06-01"}).status_code == 200
        return len(ctx.captured_queries)

    bulk_bookings(club, aircraft, pilot, 2)
    few = queries()
    for b in bulk_bookings(club, aircraft2, pilot2, 40, first=at(10, 6) + timedelta(minutes=30)):
        BookingCrew.objects.create(booking=b, membership=make_member(club, f"pax{b.pk}"),
                                   role=BookingCrew.Role.PASSENGER)
        ReservationSync.objects.create(organization=club, name=f"{b.uid}@tac.example.com", kind="booking",
                                       booking=b, next_attempt_at=b.start)
    assert queries() == few


def test_the_list_is_for_those_who_see_all_bookings(pilot, club, booking):
    assert client_for(pilot).get(_url(club)).status_code == 404


def test_without_dates_the_list_starts_a_week_ago(dispatcher, club, aircraft, pilot):
    from django.utils import timezone

    old, recent = bulk_bookings(club, aircraft, pilot, 2, first=timezone.now() - timedelta(days=8), step=timedelta(days=7))
    assert _shown(client_for(dispatcher).get(_url(club))) == [recent.pk]
