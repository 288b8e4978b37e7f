from datetime import time

from django.urls import reverse

from dispatch.services.fleet import aircraft_set_status
from tests.conftest import client_for


def test_board_draws_bookings_to_scale_in_club_time(dispatcher, booking, club):
    response = client_for(dispatcher).get(reverse("dispatch:board", args=[club.slug]), {"date": "2030-06-10"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="booking-{booking.pk}"' in html
    # 09:00-11:00 Paris in the club's 06:00-22:00 day: starts at 18.75 %, 12.5 % wide.
    assert "left:18.7500%;width:12.5000%" in html
    assert "09:00–11:00" in html


def test_week_view_shows_each_day(dispatcher, booking, club):
    html = client_for(dispatcher).get(reverse("dispatch:board", args=[club.slug]),
                                      {"date": "2030-06-12", "view": "week"}).content.decode()
    assert "Mon 10 Jun" in html and "Sun 16 Jun" in html
    assert f'id="booking-{booking.pk}"' in html


def test_grounded_aircraft_and_its_future_bookings_marked_at_risk(dispatcher, mechanic, booking, aircraft, club):
    aircraft_set_status(actor=mechanic, aircraft=aircraft, grounded=True, reason="Magneto check")
    html = client_for(dispatcher).get(reverse("dispatch:board", args=[club.slug]), {"date": "2030-06-10"}).content.decode()
    assert "Grounded: Magneto check" in html
    assert "at-risk" in html and "at risk: aircraft grounded" in html


def test_empty_slots_link_to_a_prefilled_booking_form(pilot, aircraft, club):
    client = client_for(pilot)
    html = client.get(reverse("dispatch:board", args=[club.slug]), {"date": "2030-06-10"}).content.decode()
    link = f"/o/{club.slug}/bookings/new/?aircraft={aircraft.pk}&amp;start=2030-06-10T14:00&amp;end=2030-06-10T15:00"
    assert link in html
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="2030-06-10T14:00"' in form and 'value="2030-06-10T15:00"' in form


def test_dst_day_has_23_hour_ticks(dispatcher, club, aircraft):
    # Europe/Paris springs forward on 2030-03-31: 02:00 does not exist that day.
    club.day_starts, club.day_ends = time(0), time(23, 59)
    club.save()
    html = client_for(dispatcher).get(reverse("dispatch:board", args=[club.slug]), {"date": "2030-03-31"}).content.decode()
    assert html.count('class="tick"') == 23
    assert ">02:00<" not in html and ">03:00<" in html


def test_bad_date_says_so_and_shows_today(dispatcher, club):
    response = client_for(dispatcher).get(reverse("dispatch:board", args=[club.slug]), {"date": "31-02"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert" id="bad-date">Not a date: “31-02”; showing' in html


def test_other_peoples_blocks_are_not_links_for_pilots(pilot2, booking, club):
    html = client_for(pilot2).get(reverse("dispatch:board", args=[club.slug]), {"date": "2030-06-10"}).content.decode()
    assert f'<span id="booking-{booking.pk}"' in html
