"""The fleet and booking pages as a member who may use them, and aircraft_update."""

from decimal import Decimal

import pytest
from django.urls import reverse

from clubs.models import AuditEvent
from core.errors import Conflict, Invalid
from dispatch.models import Aircraft, Booking
from dispatch.services.dispatching import booking_check_out
from dispatch.services.fleet import AircraftInput, aircraft_update
from tests.conftest import client_for


def test_aircraft_update_changes_the_aircraft_and_is_audited(admin, aircraft, club):
    updated = aircraft_update(actor=admin, aircraft=aircraft, data=AircraftInput(
        registration="f-gabd", aircraft_type="Robin DR401", home_base="lfpn", hourly_rate=Decimal("160"),
        kind=Aircraft.Kind.SIMULATOR, has_wiflight_recorder=True))
    aircraft.refresh_from_db()
    assert (aircraft.registration, aircraft.aircraft_type, aircraft.home_base, aircraft.hourly_rate) == (
        "F-GABD", "Robin DR401", "LFPN", Decimal("160.00"))
    assert updated.has_wiflight_recorder is False  # simulators carry no recorder
    event = AuditEvent.objects.get(organization=club, action="aircraft.updated")
    assert event.summary == "Edited F-GABC (now F-GABD)"


def test_aircraft_update_keeps_its_own_registration_and_refuses_another(admin, aircraft, aircraft2):
    aircraft_update(actor=admin, aircraft=aircraft, data=AircraftInput(registration="F-GABC", aircraft_type="DR400"))
    with pytest.raises(Conflict) as refused:
        aircraft_update(actor=admin, aircraft=aircraft, data=AircraftInput(registration="F GXYZ", aircraft_type="x"))
    assert refused.value.code == "registration_taken" and refused.value.field == "registration"
    with pytest.raises(Invalid) as refused:
        aircraft_update(actor=admin, aircraft=aircraft, data=AircraftInput(registration=" - ", aircraft_type="x"))
    assert refused.value.code == "registration_required"
    assert Aircraft.objects.get(pk=aircraft.pk).registration == "F-GABC"


def test_aircraft_edit_page(admin, aircraft, aircraft2, club):
    client = client_for(admin)
    url = reverse("dispatch:aircraft_edit", args=[club.slug, aircraft.pk])
    html = client.get(url).content.decode()
    assert 'value="F-GABC"' in html and 'value="Robin DR400"' in html
    response = client.post(url, {"registration": "F-GXYZ", "aircraft_type": "Robin", "kind": "airplane",
                                 "hourly_rate": "150"})
    assert response.status_code == 400
    assert response.context["form"].errors["registration"] == ["This club already has an aircraft registered F-GXYZ."]
    response = client.post(url, {"registration": "F-GABE", "aircraft_type": "Robin DR500", "kind": "airplane",
                                 "hourly_rate": "155"})
    assert response.status_code == 302
    assert Aircraft.objects.get(pk=aircraft.pk).registration == "F-GABE"


def test_booking_list_shows_the_clubs_bookings_to_a_dispatcher(dispatcher, book, aircraft, aircraft2, pilot, pilot2, club):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=2)
    mine = book(aircraft, start, start + timedelta(hours=1), [(pilot, "pic")])
    theirs = book(aircraft2, start, start + timedelta(hours=1), [(pilot2, "pic")])
    html = client_for(dispatcher).get(reverse("dispatch:booking_list", args=[club.slug])).content.decode()
    assert "F-GABC" in html and "F-GXYZ" in html
    assert reverse("dispatch:booking", args=[club.slug, mine.pk]) in html
    assert reverse("dispatch:booking", args=[club.slug, theirs.pk]) in html


def test_club_overview_for_an_admin(admin, dispatcher, book, aircraft, pilot, club):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() - timedelta(minutes=30)
    booking = book(aircraft, start, start + timedelta(hours=2), [(pilot, "pic")])
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000"), tach_out=Decimal("800"))
    response = client_for(admin).get(reverse("club_overview", args=[club.slug]))
    assert response.status_code == 200
    assert response.context["member_count"] == 3
    assert response.context["next_24h"] == 1
    assert [b.pk for b in response.context["out_now"]] == [booking.pk]
    html = response.content.decode()
    assert "F-GABC" in html and "Checked out F-GABC" in html


def test_booking_detail_warns_of_a_deactivated_crew_member(dispatcher, booking, pilot, club):
    pilot.is_active = False
    pilot.save()
    html = client_for(dispatcher).get(reverse("dispatch:booking", args=[club.slug, booking.pk])).content.decode()
    assert "At risk: Pilot is no longer an active member" in html
    assert Booking.objects.get(pk=booking.pk).status == "booked"
