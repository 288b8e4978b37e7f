"""Every dispatch service refuses by itself, changing nothing: an actor of another club gets
"not found", an inactive actor and a role that does not allow the action "not allowed"."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import NotAllowed, NotFound
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services.bookings import BookingInput, booking_cancel, booking_create, booking_update
from dispatch.services.dispatching import booking_check_in, booking_check_out, walkup_dispatch
from dispatch.services.fleet import AircraftInput, aircraft_create, aircraft_set_status, aircraft_update
from tests.conftest import at

PIC = BookingCrew.Role.PIC
METERS_OUT = {"hobbs_out": Decimal("1000.0"), "tach_out": Decimal("800.0")}


def _input(aircraft, crew, day=12):
    return BookingInput(aircraft=aircraft, start=at(day, 9), end=at(day, 10), crew=crew)


def test_an_admin_of_another_club_cannot_cancel_or_check_out(outsider, booking):
    with pytest.raises(NotFound) as refused:
        booking_cancel(actor=outsider, booking=booking)
    assert refused.value.code == "not_found"
    with pytest.raises(NotFound) as refused:
        booking_check_out(actor=outsider, booking=booking, **METERS_OUT)
    assert refused.value.code == "not_found"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED and not hasattr(booking, "dispatch")


def test_an_admin_of_another_club_cannot_change_or_check_in(outsider, dispatcher, booking, aircraft, pilot):
    with pytest.raises(NotFound):
        booking_update(actor=outsider, booking=booking, data=_input(aircraft, [(pilot, PIC)]))
    booking_check_out(actor=dispatcher, booking=booking, **METERS_OUT)
    with pytest.raises(NotFound):
        booking_check_in(actor=outsider, booking=booking, hobbs_in=Decimal("1001"), tach_in=Decimal("801"))
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.DISPATCHED


def test_another_clubs_aircraft_and_crew_are_not_found(outsider, other_club, aircraft, pilot, other_aircraft, dispatcher):
    with pytest.raises(NotFound) as refused:
        booking_create(actor=outsider, data=_input(aircraft, [(outsider, PIC)]))
    assert refused.value.code == "unknown_aircraft" and refused.value.field == "aircraft"
    with pytest.raises(NotFound) as refused:
        booking_create(actor=outsider, data=_input(other_aircraft, [(pilot, PIC)]))
    assert refused.value.code == "unknown_member"
    now = timezone.now()
    with pytest.raises(NotFound):
        walkup_dispatch(actor=outsider, data=BookingInput(aircraft=aircraft, start=now, end=now + timedelta(hours=1),
                                                          crew=[(outsider, PIC)]), **METERS_OUT)
    with pytest.raises(NotFound):
        aircraft_update(actor=outsider, aircraft=aircraft, data=AircraftInput(registration="F-HACK", aircraft_type="x"))
    with pytest.raises(NotFound):
        aircraft_set_status(actor=outsider, aircraft=aircraft, grounded=True, reason="mine now")
    aircraft.refresh_from_db()
    assert aircraft.registration == "F-GABC" and not aircraft.is_grounded
    assert not Booking.objects.exists()


def test_an_inactive_actor_is_refused_everywhere(admin, booking, aircraft, pilot):
    admin.is_active = False
    admin.save()
    calls = [
        lambda: booking_create(actor=admin, data=_input(aircraft, [(pilot, PIC)])),
        lambda: booking_update(actor=admin, booking=booking, data=_input(aircraft, [(pilot, PIC)])),
        lambda: booking_cancel(actor=admin, booking=booking),
        lambda: booking_check_out(actor=admin, booking=booking, **METERS_OUT),
        lambda: aircraft_create(actor=admin, data=AircraftInput(registration="F-HNEW", aircraft_type="x")),
        lambda: aircraft_update(actor=admin, aircraft=aircraft, data=AircraftInput(registration="F-HNEW", aircraft_type="x")),
        lambda: aircraft_set_status(actor=admin, aircraft=aircraft, grounded=True, reason="x"),
    ]
    for call in calls:
        with pytest.raises(NotAllowed) as refused:
            call()
        assert refused.value.code == "actor_inactive"
    assert Booking.objects.get().status == Booking.Status.BOOKED and Aircraft.objects.count() == 1


def test_roles_that_do_not_allow_the_action(pilot, mechanic, booking, aircraft):
    with pytest.raises(NotAllowed) as refused:
        booking_check_out(actor=pilot, booking=booking, **METERS_OUT)
    assert refused.value.code == "not_allowed"
    with pytest.raises(NotAllowed) as refused:
        booking_create(actor=mechanic, data=_input(aircraft, [(mechanic, PIC)]))
    assert refused.value.code == "role_cannot_book"
    with pytest.raises(NotAllowed) as refused:
        booking_cancel(actor=mechanic, booking=booking)  # maintenance sees every booking, changes none
    assert refused.value.code == "not_allowed"
    with pytest.raises(NotAllowed) as refused:
        aircraft_update(actor=mechanic, aircraft=aircraft, data=AircraftInput(registration="F-HNEW", aircraft_type="x"))
    assert refused.value.code == "not_allowed"
    with pytest.raises(NotAllowed) as refused:
        aircraft_set_status(actor=pilot, aircraft=aircraft, grounded=True, reason="x")
    assert refused.value.code == "not_allowed"
    assert Booking.objects.get().status == Booking.Status.BOOKED


def test_a_booking_a_pilot_may_not_see_is_not_found_for_them(pilot2, booking, aircraft):
    with pytest.raises(NotFound):
        booking_cancel(actor=pilot2, booking=booking)


def test_a_passenger_sees_but_cannot_change_or_cancel(book, aircraft, pilot, pilot2):
    ride = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC), (pilot2, BookingCrew.Role.PASSENGER)])
    with pytest.raises(NotAllowed):
        booking_cancel(actor=pilot2, booking=ride)
    with pytest.raises(NotAllowed):
        booking_update(actor=pilot2, booking=ride, data=_input(aircraft, [(pilot, PIC), (pilot2, "passenger")]))


def test_creating_a_booking_confers_nothing_once_off_its_crew(book, aircraft, pilot, pilot2, dispatcher):
    mine = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC)], actor=pilot)
    booking_update(actor=dispatcher, booking=mine, data=BookingInput(aircraft=aircraft, start=at(10, 9),
                                                                     end=at(10, 11), crew=[(pilot2, PIC)]))
    with pytest.raises(NotFound):
        booking_cancel(actor=pilot, booking=Booking.objects.get(pk=mine.pk))
    assert Booking.objects.get(pk=mine.pk).status == Booking.Status.BOOKED


def test_a_registration_with_a_control_character_is_refused(admin, aircraft):
    from core.errors import Invalid

    with pytest.raises(Invalid) as exc:
        aircraft_create(actor=admin, data=AircraftInput(registration="F-G\x0bHIJ", aircraft_type="DR400"))
    assert (exc.value.code, exc.value.field) == ("control_characters", "registration")
    with pytest.raises(Invalid):
        aircraft_update(actor=admin, aircraft=aircraft, data=AircraftInput(
            registration=aircraft.registration, aircraft_type="Robin\x1b"))
    aircraft.refresh_from_db()
    assert aircraft.aircraft_type != "Robin\x1b"
    assert not Aircraft.objects.filter(registration__contains="\x0b").exists()
