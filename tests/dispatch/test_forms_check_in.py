"""Check-out and check-in on the booking page: tach prefilled as well as Hobbs, the warning
before saving a Hobbs time far from the detected engine time, and each error shown once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dispatch.models import Booking
from dispatch.services.dispatching import booking_check_out
from integrations.wiflight.flight_services import flight_ingest
from flights.models import Flight
from integrations.wiflight.xml import parse_flight_xml
from lxml import etree
from tests.conftest import at, client_for
from tests.wiflight.flight_docs import flight_element
from tests.wiflight.flight_fixtures import notify_conn, reservation_for  # noqa: F401 - fixture


@pytest.fixture
def out(booking, dispatcher, aircraft):
    """The booking checked out at the aircraft's meters (Hobbs 1000.0, tach 800.0)."""
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    return booking


@pytest.fixture
def flown(club, out, notify_conn):
    """One hour of engine time detected by Wi-Flight on the booking."""
    raw = etree.tostring(flight_element(flight_id="7", tail="F-GABC", start=at(10, 9, 5), length=3600))
    return flight_ingest(organization_id=club.pk, document=parse_flight_xml(raw), raw=raw.decode(),
                         reservation_name=reservation_for(out), source=Flight.Source.NOTIFICATION)


def _check_in(client, club, booking, **data):
    return client.post(reverse("dispatch:check_in", args=[club.slug, booking.pk]), data)


def test_check_in_prefills_tach_as_well_as_hobbs(club, dispatcher, out, flown):
    form = client_for(dispatcher).get(reverse("dispatch:booking", args=[club.slug, out.pk])).context["checkin_form"]
    assert form.initial["hobbs_in"] == Decimal("1001.0")
    assert form.initial["tach_in"] == Decimal("801.0")


def test_hobbs_far_from_the_engine_time_warns_before_saving(club, dispatcher, out, flown):
    client = client_for(dispatcher)
    response = _check_in(client, club, out, hobbs_in="1002.0", tach_in="801.8")
    assert response.status_code == 400
    assert response.context["checkin_form"].has_error("__all__", code="meters_differ")
    html = response.content.decode()
    assert "differs from the engine time Wi-Flight detected" in html and 'name="confirm_meters"' in html
    # The readings entered are kept, so "Save anyway" is one tick away.
    assert 'value="1002.0"' in html
    out.refresh_from_db()
    assert out.status == Booking.Status.DISPATCHED

    response = _check_in(client, club, out, hobbs_in="1002.0", tach_in="801.8", confirm_meters="on")
    assert response.status_code == 302
    out.refresh_from_db()
    assert out.status == Booking.Status.COMPLETED and out.dispatch.hobbs_in == Decimal("1002.0")


def test_hobbs_close_to_the_engine_time_saves_at_once(club, dispatcher, out, flown):
    response = _check_in(client_for(dispatcher), club, out, hobbs_in="1001.2", tach_in="801.0")
    assert response.status_code == 302
    out.refresh_from_db()
    assert out.status == Booking.Status.COMPLETED


def test_without_a_detected_flight_there_is_no_warning(club, dispatcher, out):
    response = _check_in(client_for(dispatcher), club, out, hobbs_in="1005.0", tach_in="804.0")
    assert response.status_code == 302
    out.refresh_from_db()
    assert out.status == Booking.Status.COMPLETED


def test_the_save_anyway_box_is_offered_only_with_a_warning(club, dispatcher, out, flown):
    client = client_for(dispatcher)
    html = client.get(reverse("dispatch:booking", args=[club.slug, out.pk])).content.decode()
    assert 'name="confirm_meters"' not in html
    # A refusal of another kind (meters backwards) is not a reason to offer it.
    html = _check_in(client, club, out, hobbs_in="999.0", tach_in="801.0").content.decode()
    assert 'name="confirm_meters"' not in html


def test_a_check_out_error_is_shown_once(club, dispatcher, booking, aircraft):
    # A refusal on no field of the form (the aircraft was grounded since) used to appear both
    # at the top of the page and at the top of the form.
    aircraft.status, aircraft.grounded_reason = "grounded", "flap actuator"
    aircraft.save()
    response = client_for(dispatcher).post(reverse("dispatch:check_out", args=[club.slug, booking.pk]),
                                           {"hobbs_out": "1000", "tach_out": "800"})
    assert response.status_code == 400
    assert response.content.decode().count("F-GABC is grounded: flap actuator") == 1


def test_a_field_error_at_check_out_is_shown_once(club, dispatcher, booking):
    response = client_for(dispatcher).post(reverse("dispatch:check_out", args=[club.slug, booking.pk]),
                                           {"hobbs_out": "998", "tach_out": "800"})
    assert response.status_code == 400
    assert response.content.decode().count("below the last check-in reading") == 1


def test_a_refusal_for_a_form_no_longer_on_the_page_is_shown_at_the_top(club, dispatcher, out):
    # Someone else checked it out a moment ago: the check-out form is gone, its error is not.
    response = client_for(dispatcher).post(reverse("dispatch:check_out", args=[club.slug, out.pk]),
                                           {"hobbs_out": "1000", "tach_out": "800"})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("A dispatched booking cannot be checked out.") == 1
