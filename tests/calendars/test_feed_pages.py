"""The page where a member makes, replaces or revokes their calendar address."""

import re

from calendars.models import CalendarFeed


def _url(club, tail=""):
    return f"/o/{club.slug}/calendar/feeds/{tail}"


def _shown_token(response) -> str:
    return re.search(r'value="http://127\.0\.0\.1:8000/feeds/([^"]+)\.ics"', response.content.decode()).group(1)


def test_a_member_makes_their_address_and_sees_it_once(as_user, club, pilot):
    client = as_user(pilot)
    assert client.get(_url(club)).status_code == 200
    response = client.post(_url(club, "change/"), {"action": "create"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = _shown_token(response)
    assert f"webcal://127.0.0.1:8000/feeds/{token}.ics" in response.content.decode()
    assert client.get(f"/feeds/{token}.ics").status_code == 200
    assert token not in client.get(_url(club)).content.decode()


def test_replace_then_revoke(as_user, club, pilot):
    client = as_user(pilot)
    first = _shown_token(client.post(_url(club, "change/"), {"action": "create"}))
    second = _shown_token(client.post(_url(club, "change/"), {"action": "create"}))
    assert client.get(f"/feeds/{first}.ics").status_code == 404
    assert client.post(_url(club, "change/"), {"action": "revoke"}).status_code == 302
    assert client.get(f"/feeds/{second}.ics").status_code == 404
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()


def test_aircraft_addresses_are_for_those_who_see_every_booking(as_user, club, pilot, dispatcher, aircraft):
    page = as_user(pilot).get(_url(club))
    assert page.context["fleet"] is None
    assert as_user(pilot).post(_url(club, "change/"), {"action": "create", "aircraft": aircraft.pk}).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert [a.registration for a in as_user(dispatcher).get(_url(club)).context["fleet"]] == ["F-GABC"]
    response = as_user(dispatcher).post(_url(club, "change/"), {"action": "create", "aircraft": aircraft.pk})
    assert response.status_code == 200
    assert CalendarFeed.objects.get().aircraft == aircraft


def test_another_clubs_aircraft_is_404(as_user, club, dispatcher, other_aircraft):
    response = as_user(dispatcher).post(_url(club, "change/"), {"action": "create", "aircraft": other_aircraft.pk})
    assert response.status_code == 404
    assert as_user(dispatcher).post(_url(club, "change/"), {"action": "create", "aircraft": "1; drop"}).status_code == 404


def test_an_outsider_gets_404(as_user, club, outsider):
    assert as_user(outsider).get(_url(club)).status_code == 404
    assert as_user(outsider).post(_url(club, "change/"), {"action": "create"}).status_code == 404
