"""Hobbs and tach never run backwards, at check-out (against the last check-in) and at
check-in (against check-out): each of the four checks has its own test."""

from decimal import Decimal

import pytest

from core.errors import Invalid
from dispatch.models import Aircraft, Booking
from dispatch.services.dispatching import booking_check_in, booking_check_out

# The aircraft fixture's meters: Hobbs 1000.0, tach 800.0.
OUT = {"hobbs_out": Decimal("1000.0"), "tach_out": Decimal("800.0")}


@pytest.mark.parametrize("field,readings", [
    ("hobbs_out", {"hobbs_out": Decimal("999.9"), "tach_out": Decimal("800.0")}),
    ("tach_out", {"hobbs_out": Decimal("1000.0"), "tach_out": Decimal("799.9")}),
])
def test_check_out_below_the_last_check_in_needs_a_reason(dispatcher, booking, field, readings):
    with pytest.raises(Invalid) as refused:
        booking_check_out(actor=dispatcher, booking=booking, **readings)
    assert refused.value.code == "meter_backwards" and refused.value.field == field
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED


@pytest.mark.parametrize("field,readings", [
    ("hobbs_in", {"hobbs_in": Decimal("999.9"), "tach_in": Decimal("801.0")}),
    ("tach_in", {"hobbs_in": Decimal("1001.0"), "tach_in": Decimal("799.9")}),
])
def test_check_in_below_check_out_is_refused(dispatcher, booking, aircraft, field, readings):
    booking_check_out(actor=dispatcher, booking=booking, **OUT)
    with pytest.raises(Invalid) as refused:
        booking_check_in(actor=dispatcher, booking=booking, **readings)
    assert refused.value.code == "meter_backwards" and refused.value.field == field
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.DISPATCHED
    assert Aircraft.objects.get(pk=aircraft.pk).tach == Decimal("800.0")


def test_a_missing_reading_is_required(dispatcher, booking):
    with pytest.raises(Invalid) as refused:
        booking_check_out(actor=dispatcher, booking=booking, hobbs_out=None, tach_out=Decimal("800"))
    assert refused.value.code == "meter_required" and refused.value.field == "hobbs_out"


def test_equal_readings_are_fine(dispatcher, booking):
    booking_check_out(actor=dispatcher, booking=booking, **OUT)
    booking_check_in(actor=dispatcher, booking=booking, hobbs_in=Decimal("1000.0"), tach_in=Decimal("800.0"))
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.COMPLETED


def test_the_refusal_shows_on_its_field(as_user, dispatcher, booking, club):
    from django.urls import reverse

    response = as_user(dispatcher).post(reverse("dispatch:check_out", args=[club.slug, booking.pk]),
                                        {"hobbs_out": "1000", "tach_out": "700"})
    assert response.status_code == 400
    assert response.context["checkout_form"].errors["tach_out"] == [
        "Tach out 700 is below the last check-in reading 800.0. If the meter was replaced or misread, give a "
        "correction reason."]
