"""The lists' faster rendering gives the HTML the slower one gave: the filter form's selects
are Django's, the bookings list's Wi-Flight cell is wiflight/sync_badge.html's, every row
links where {% url %} would; and no list's query count grows with its rows."""

import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from itertools import product

import pytest
from django import forms
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.booking_search_forms import BookingSearchForm, ListSelect
from dispatch.models import Booking, BookingCrew
from flights.models import Flight, FlightCrew
from integrations.wiflight.models import ReservationSync
from tests.conftest import at, client_for, make_member

CHOICES = [("", "Any"), (1, "Plain"), ("a&b", 'Quote " <b>and</b> \'apostrophe\''), (3, "Third")]


@pytest.mark.parametrize("value", [None, "", 1, "1", "a&b", 3, "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "required": True, "aria-invalid": "true", "disabled": False}])
def test_list_select_writes_what_djangos_select_template_writes(value, attrs):
    ours, django = ListSelect(choices=CHOICES), forms.Select(choices=CHOICES)
    assert ours.render("x", value, attrs) == django.render("x", value, attrs)


def test_list_select_writes_option_groups_as_django_does():
    grouped = [("", "Any"), ("Group <1>", [(1, "One"), (2, "Two")]), (3, "Three")]
    for value in (None, 2, 3):
        assert ListSelect(choices=grouped).render("g", value) == forms.Select(choices=grouped).render("g", value)


def test_the_search_forms_selects_are_djangos(club, aircraft, aircraft2, pilot, pilot2):
    pilot.user.full_name = "Zoë <O'Brien> & Co"
    pilot.user.save()
    aircraft2.retired_at = at(1, 0)
    aircraft2.save()
    data = {"aircraft": str(aircraft.pk), "member": str(pilot.pk), "status": "cancelled"}
    ours = BookingSearchForm(data, organization=club)
    theirs = BookingSearchForm(data, organization=club)
    for name in ("aircraft", "member", "status"):
        theirs.fields[name].widget = forms.Select(choices=theirs.fields[name].choices)
    assert ours.is_valid() and theirs.is_valid()
    for name in ("aircraft", "member", "status"):
        assert str(ours[name]) == str(theirs[name])
    assert "Zoë &lt;O&#x27;Brien&gt; &amp; Co" in str(ours["member"]) and "(retired)" in str(ours["aircraft"])


def _rows(club, aircraft, member, count, first):
    made = Booking.objects.bulk_create(
        Booking(organization=club, aircraft=aircraft, start=first + i * timedelta(hours=2),
                end=first + i * timedelta(hours=2) + timedelta(hours=1)) for i in range(count))
    BookingCrew.objects.bulk_create(BookingCrew(booking=b, membership=member, role=BookingCrew.Role.PIC) for b in made)
    return made


def test_the_wiflight_cell_is_the_sync_badge(dispatcher, club, aircraft, pilot):
    cases = list(product([Booking.Status.BOOKED, Booking.Status.CANCELLED], ReservationSync.State.values,
                         [False, True], ["", 'HTTP 503 <"down">']))
    made = _rows(club, aircraft, pilot, len(cases) + 1, at(10, 6))
    for b, (status, state, deleted, error) in zip(made, cases):
        Booking.objects.filter(pk=b.pk).update(status=status)
        ReservationSync.objects.create(organization=club, name=f"{b.uid}@tac.example.com", kind="booking", booking=b,
                                       state=state, synced_deleted=deleted, last_error=error, next_attempt_at=b.start)
    url = reverse("dispatch:booking_list", args=[club.slug])
    html = client_for(dispatcher).get(url, {"from": "2030-06-10"}).content.decode()
    shown = re.findall(r'<td data-label="Wi-Flight">(.*?)</td>', html, flags=re.S)
    expected = [render_to_string("wiflight/sync_badge.html", {"sync": getattr(b, "wiflight_sync", None),
                                                              "compact": False})
                for b in Booking.objects.filter(pk__in=[b.pk for b in made]).select_related("wiflight_sync")
                .order_by("start", "pk")]
    assert len(shown) == len(made) and shown == expected
    assert 'title="Wi-Flight: HTTP 503 &lt;&quot;down&quot;&gt;"' in "".join(shown)


def _links(html: str, kind: str) -> list[str]:
    return re.findall(rf'href="(/o/[^"]+/{kind}/\d+/)"', html)


def test_every_row_links_to_its_booking(dispatcher, club, aircraft, pilot):
    from django.utils import timezone

    now = timezone.now()
    made = _rows(club, aircraft, pilot, 3, now - timedelta(days=3)) + _rows(club, aircraft, pilot, 2, now + timedelta(days=1))
    expected = [reverse("dispatch:booking", args=[club.slug, b.pk]) for b in made]
    listed = client_for(dispatcher).get(reverse("dispatch:booking_list", args=[club.slug])).content.decode()
    assert _links(listed, "bookings") == expected
    mine = client_for(pilot).get(reverse("dispatch:my_bookings", args=[club.slug])).content.decode()
    assert sorted(_links(mine, "bookings")) == sorted(expected)


def _flights(club, aircraft, member, count, booking=None):
    made = Flight.objects.bulk_create(
        Flight(organization=club, wiflight_id=f"f{aircraft.pk}-{i}", aircraft=aircraft, tail=aircraft.registration,
               start=at(12, 6) + timedelta(hours=i), length_seconds=3600, engine_seconds=3300, airtime_seconds=3000,
               booking=booking if i == 0 else None, raw_document="<flight/>", source=Flight.Source.NOTIFICATION)
        for i in range(count))
    FlightCrew.objects.bulk_create([FlightCrew(flight=f, membership=member, role="pic") for f in made]
                                   + [FlightCrew(flight=f, wiflight_username="visitor@elsewhere") for f in made[::2]])
    return made


def test_every_flight_row_links_to_its_flight_and_booking(dispatcher, club, aircraft, pilot, booking):
    made = _flights(club, aircraft, pilot, 3, booking)
    html = client_for(dispatcher).get(reverse("flights:flight_list", args=[club.slug])).content.decode()
    assert _links(html, "flights") == [reverse("flights:flight", args=[club.slug, f.pk]) for f in reversed(made)]
    assert _links(html, "bookings") == [reverse("dispatch:booking", args=[club.slug, booking.pk])]
    assert "visitor@elsewhere" in html and pilot.user.display_name in html
    mine = client_for(pilot).get(reverse("flights:my_flights", args=[club.slug])).content.decode()
    assert len(_links(mine, "flights")) >= 3


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_my_bookings_query_count_does_not_grow_with_rows(club, aircraft, aircraft2, pilot):
    from django.utils import timezone

    client, url = client_for(pilot), reverse("dispatch:my_bookings", args=[club.slug])
    now = timezone.now()
    _rows(club, aircraft, pilot, 1, now - timedelta(days=1)), _rows(club, aircraft, pilot, 1, now + timedelta(days=1))
    _flights(club, aircraft, pilot, 1)
    _queries(client, url)
    few = _queries(client, url)
    for b in _rows(club, aircraft2, pilot, 30, now - timedelta(days=40)) + _rows(club, aircraft2, pilot, 30, now + timedelta(days=2)):
        BookingCrew.objects.create(booking=b, membership=make_member(club, f"pax{b.pk}"), role=BookingCrew.Role.PASSENGER)
    _flights(club, aircraft2, pilot, 8)
    assert _queries(client, url) == few


@pytest.mark.parametrize("page", ["flight_list", "my_flights"])
def test_the_flight_lists_query_count_does_not_grow_with_rows(page, club, aircraft, aircraft2, pilot, dispatcher):
    client = client_for(dispatcher if page == "flight_list" else pilot)
    url = reverse(f"flights:{page}", args=[club.slug])
    _flights(club, aircraft, pilot, 2)
    _queries(client, url)
    few = _queries(client, url)
    for f in _flights(club, aircraft2, pilot, 40):
        FlightCrew.objects.create(flight=f, membership=make_member(club, f"crew{f.pk}"), role="passenger")
    assert _queries(client, url) == few


OLD_WHEN = ('{% for b in rows %}<a href="{% url \'dispatch:booking\' club.slug b.pk %}">{{ b.start|date:"D d M Y H:i" }}–'
            '{% if b.start|date:"Ymd" == b.end|date:"Ymd" %}{{ b.end|time:"H:i" }}{% else %}{{ b.end|date:"D d M H:i" }}'
            '{% endif %}</a>{% endfor %}')


def test_the_when_cell_is_what_the_date_filters_gave(dispatcher, club, aircraft, pilot):
    from django.template import engines
    from django.utils import timezone

    starts = [at(10, 6), at(10, 23, 30), datetime(2030, 3, 31, 1, 30, tzinfo=dt_timezone.utc),
              datetime(2030, 10, 26, 23, 0, tzinfo=dt_timezone.utc), datetime(2030, 6, 14, 21, 45, tzinfo=dt_timezone.utc)]
    lengths = [timedelta(hours=1), timedelta(hours=1), timedelta(hours=2), timedelta(hours=3), timedelta(days=2)]
    made = Booking.objects.bulk_create(Booking(organization=club, aircraft=aircraft, start=s, end=s + n)
                                       for s, n in zip(starts, lengths))
    html = client_for(dispatcher).get(reverse("dispatch:booking_list", args=[club.slug]), {"from": "2030-01-01"})
    shown = "".join(re.findall(r'<td data-label="When">(.*?)</td>', html.content.decode()))
    with timezone.override(club.tz):
        rows = Booking.objects.filter(pk__in=[b.pk for b in made]).order_by("start", "pk")
        expected = engines["django"].from_string(OLD_WHEN).render({"rows": rows, "club": club})
    assert shown == expected and "Mon 10 Jun 2030 23:30–00:30" not in shown


OLD_FLIGHT_CELLS = ('{% for f in rows %}<a href="{% url \'flights:flight\' club.slug f.pk %}">{{ f.start|date:"D d M Y H:i" }}'
                    '</a>{% if f.booking %}<a href="{% url \'dispatch:booking\' club.slug f.booking.pk %}">'
                    '{{ f.booking.start|date:"d M H:i" }}</a>{% endif %}{% endfor %}')


def test_the_flight_rows_times_are_what_the_date_filters_gave(dispatcher, club, aircraft, pilot, booking):
    from django.template import engines
    from django.utils import timezone

    made = _flights(club, aircraft, pilot, 20, booking)  # hourly from 06:00 Paris: past midnight, two dates
    html = client_for(dispatcher).get(reverse("flights:flight_list", args=[club.slug])).content.decode()
    shown = "".join(re.findall(r'<a href="/o/[^"]+/(?:flights|bookings)/\d+/">[^<]*</a>', html))
    with timezone.override(club.tz):
        rows = Flight.objects.filter(pk__in=[f.pk for f in made]).select_related("booking").order_by("-start", "-pk")
        expected = engines["django"].from_string(OLD_FLIGHT_CELLS).render({"rows": rows, "club": club})
    assert shown == expected and "Thu 13 Jun 2030 01:00" in shown
