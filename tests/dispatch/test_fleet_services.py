"""dispatch.services.fleet: starting meters, retiring and reinstating aircraft, and the rule
that a retired aircraft cannot be booked or checked out."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clubs.models import AuditEvent
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services.bookings import BookingInput, booking_cancel, booking_create, booking_update
from dispatch.services.dispatching import booking_check_out
from dispatch.services.fleet import (
    AircraftInput, aircraft_create, aircraft_meters_correct, aircraft_reinstate, aircraft_retire, aircraft_update,
)
from tests.conftest import at

PIC = BookingCrew.Role.PIC


def _refused(code: str, call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        call(*args, **kwargs)
    assert refused.value.code == code, refused.value
    return refused.value


def _past_booking(aircraft, pilot):
    """A flown booking from last week (history the retired aircraft keeps)."""
    start = timezone.now() - timedelta(days=7)
    booking = Booking.objects.create(organization=aircraft.organization, aircraft=aircraft, start=start,
                                     end=start + timedelta(hours=1), status=Booking.Status.COMPLETED)
    BookingCrew.objects.create(booking=booking, membership=pilot, role=PIC)
    return booking


# --- starting meters ---

def test_create_takes_starting_meters(admin):
    a = aircraft_create(actor=admin, data=AircraftInput(registration="F-GNEW", aircraft_type="DR400",
                                                         hobbs=Decimal("1234.5"), tach=Decimal("987.6")))
    a.refresh_from_db()
    assert (a.hobbs, a.tach) == (Decimal("1234.5"), Decimal("987.6"))


def test_negative_starting_meter_is_refused(admin):
    e = _refused("meter_required", aircraft_create, actor=admin,
                 data=AircraftInput(registration="F-GNEW", aircraft_type="DR400", tach=Decimal("-1")))
    assert e.field == "tach" and not Aircraft.objects.exists()


def test_update_never_moves_the_meters(admin, aircraft):
    aircraft_update(actor=admin, aircraft=aircraft, data=AircraftInput(
        registration=aircraft.registration, aircraft_type="Robin DR400", hobbs=Decimal("1"), tach=Decimal("1")))
    aircraft.refresh_from_db()
    assert (aircraft.hobbs, aircraft.tach) == (Decimal("1000.0"), Decimal("800.0"))


# --- retire ---

def test_retire_keeps_history_and_audits(admin, aircraft, pilot):
    past = _past_booking(aircraft, pilot)
    aircraft_retire(actor=admin, aircraft=aircraft, reason="Sold")
    aircraft.refresh_from_db()
    assert aircraft.is_retired and Booking.objects.filter(pk=past.pk).exists()
    assert list(Aircraft.objects.in_service()) == []
    event = AuditEvent.objects.get(action="aircraft.retired")
    assert "Sold" in event.summary and event.target_id == str(aircraft.pk)


def test_retire_runs_the_change_path(admin, aircraft, monkeypatch):
    from clubs import changes

    seen = []
    monkeypatch.setattr(changes, "_subscribers", [("aircraft.*", seen.append)])
    aircraft_retire(actor=admin, aircraft=aircraft)
    assert [(c.event, c.target.pk) for c in seen] == [("aircraft.retired", aircraft.pk)]


def test_retire_is_refused_while_bookings_remain_and_lists_them(admin, aircraft, booking, book, pilot):
    second = book(aircraft, at(11, 9), at(11, 10), [(pilot, PIC)])
    e = _refused("aircraft_has_bookings", aircraft_retire, actor=admin, aircraft=aircraft)
    assert e.details["booking_ids"] == [booking.pk, second.pk]
    assert "Mon 10 Jun 09:00–11:00" in e.message
    aircraft.refresh_from_db()
    assert not aircraft.is_retired


def test_a_cancelled_or_stale_booking_does_not_block_retiring(admin, dispatcher, aircraft, booking, pilot):
    booking_cancel(actor=dispatcher, booking=booking, reason="weather")
    start = timezone.now() - timedelta(days=2)
    stale = Booking.objects.create(organization=aircraft.organization, aircraft=aircraft, start=start,
                                   end=start + timedelta(hours=1))  # never flown, never cancelled
    BookingCrew.objects.create(booking=stale, membership=pilot, role=PIC)
    aircraft_retire(actor=admin, aircraft=aircraft)
    aircraft.refresh_from_db()
    assert aircraft.is_retired


def test_an_aircraft_checked_out_cannot_be_retired(admin, dispatcher, aircraft, booking):
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    e = _refused("aircraft_still_out", aircraft_retire, actor=admin, aircraft=aircraft)
    assert e.details == {"booking_id": booking.pk}


def test_retiring_twice_is_refused(admin, aircraft):
    aircraft_retire(actor=admin, aircraft=aircraft)
    _refused("aircraft_retired", aircraft_retire, actor=admin, aircraft=aircraft)


@pytest.mark.parametrize("persona", ["dispatcher", "mechanic", "pilot"])
def test_only_fleet_managers_retire(persona, request, aircraft):
    _refused("not_allowed", aircraft_retire, actor=request.getfixturevalue(persona), aircraft=aircraft)
    aircraft.refresh_from_db()
    assert not aircraft.is_retired


def test_another_clubs_aircraft_is_not_found(outsider, aircraft):
    _refused("unknown_aircraft", aircraft_retire, actor=outsider, aircraft=aircraft)
    _refused("unknown_aircraft", aircraft_reinstate, actor=outsider, aircraft=aircraft)


def test_retire_reason_must_be_plain_and_short(admin, aircraft):
    _refused("reason_too_long", aircraft_retire, actor=admin, aircraft=aircraft, reason="x" * 201)
    _refused("control_characters", aircraft_retire, actor=admin, aircraft=aircraft, reason="a\x00b")


# --- a retired aircraft cannot be booked ---

def test_a_retired_aircraft_cannot_be_booked(admin, dispatcher, aircraft, pilot):
    aircraft_retire(actor=admin, aircraft=aircraft)
    stale = Aircraft.objects.get(pk=aircraft.pk)
    stale.retired_at = None  # as loaded before it was retired: the rule reads the database
    e = _refused("aircraft_retired", booking_create, actor=dispatcher,
                 data=BookingInput(aircraft=stale, start=at(12, 9), end=at(12, 10), crew=[(pilot, PIC)]))
    assert e.field == "aircraft"


def test_a_booking_cannot_move_to_a_retired_aircraft(admin, dispatcher, aircraft, aircraft2, booking, pilot):
    aircraft_retire(actor=admin, aircraft=aircraft2)
    _refused("aircraft_retired", booking_update, actor=dispatcher, booking=booking,
             data=BookingInput(aircraft=aircraft2, start=booking.start, end=booking.end, crew=[(pilot, PIC)]))


def test_a_retired_aircraft_cannot_be_checked_out(admin, dispatcher, aircraft, booking):
    # Retiring is refused while the booking exists; this is the belt under those braces
    # (a booking the database holds for an aircraft retired by other means).
    Aircraft.objects.filter(pk=aircraft.pk).update(retired_at=timezone.now())
    _refused("aircraft_retired", booking_check_out, actor=dispatcher, booking=booking,
             hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))


def test_the_registration_of_a_retired_aircraft_stays_taken(admin, aircraft):
    aircraft_retire(actor=admin, aircraft=aircraft)
    e = _refused("registration_taken", aircraft_create, actor=admin,
                 data=AircraftInput(registration="f gabc", aircraft_type="DR400"))
    assert e.details == {"aircraft_id": aircraft.pk, "retired": True} and "reinstate" in e.message


# --- reinstate ---

def test_reinstate_brings_it_back_audited(admin, dispatcher, aircraft, pilot):
    aircraft_retire(actor=admin, aircraft=aircraft)
    aircraft_reinstate(actor=admin, aircraft=aircraft)
    aircraft.refresh_from_db()
    assert not aircraft.is_retired
    assert AuditEvent.objects.filter(action="aircraft.reinstated").count() == 1
    booking_create(actor=dispatcher, data=BookingInput(aircraft=aircraft, start=at(12, 9), end=at(12, 10),
                                                       crew=[(pilot, PIC)]))


def test_reinstating_one_in_service_does_nothing(admin, aircraft):
    aircraft_reinstate(actor=admin, aircraft=aircraft)
    assert not AuditEvent.objects.filter(action="aircraft.reinstated").exists()


def test_only_fleet_managers_reinstate(admin, dispatcher, aircraft):
    aircraft_retire(actor=admin, aircraft=aircraft)
    _refused("not_allowed", aircraft_reinstate, actor=dispatcher, aircraft=aircraft)
    aircraft.refresh_from_db()
    assert aircraft.is_retired



# --- correcting the meters by hand ---

def test_a_meter_correction_needs_a_reason_and_is_audited(admin, aircraft):
    _refused("reason_required", aircraft_meters_correct, actor=admin, aircraft=aircraft,
             hobbs=Decimal("1200.0"), tach=Decimal("950.0"), reason=" ")
    aircraft_meters_correct(actor=admin, aircraft=aircraft, hobbs=Decimal("12.0"), tach=Decimal("9.5"),
                            reason="Hobbs meter replaced")
    aircraft.refresh_from_db()
    assert (aircraft.hobbs, aircraft.tach) == (Decimal("12.0"), Decimal("9.5"))
    event = AuditEvent.objects.get(action="aircraft.meters_corrected")
    assert event.details == {"before": {"hobbs": "1000.0", "tach": "800.0"}, "after": {"hobbs": "12.0", "tach": "9.5"},
                             "reason": "Hobbs meter replaced"}


def test_no_meter_correction_while_checked_out(admin, dispatcher, aircraft, booking):
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000.0"), tach_out=Decimal("800.0"))
    _refused("aircraft_still_out", aircraft_meters_correct, actor=admin, aircraft=aircraft,
             hobbs=Decimal("1.0"), tach=Decimal("1.0"), reason="x")


@pytest.mark.parametrize("persona", ["dispatcher", "mechanic", "outsider"])
def test_only_the_clubs_fleet_managers_correct_meters(persona, request, aircraft):
    _refused("unknown_aircraft" if persona == "outsider" else "not_allowed", aircraft_meters_correct,
             actor=request.getfixturevalue(persona), aircraft=aircraft, hobbs=Decimal("1.0"), tach=Decimal("1.0"),
             reason="x")
    aircraft.refresh_from_db()
    assert aircraft.hobbs == Decimal("1000.0")


def test_an_old_booking_on_a_retired_aircraft_cannot_be_moved_to_a_new_day(admin, aircraft, pilot, book):
    stale = book(aircraft, at(10, 9), at(10, 10), [(pilot, BookingCrew.Role.PIC)])
    Booking.objects.filter(pk=stale.pk).update(start=timezone.now() - timedelta(days=2),
                                               end=timezone.now() - timedelta(days=2) + timedelta(hours=1))
    aircraft_retire(actor=admin, aircraft=aircraft)
    with pytest.raises(ValidationError) as refused:
        booking_update(actor=admin, booking=Booking.objects.get(pk=stale.pk), data=BookingInput(
            aircraft=Aircraft.objects.get(pk=aircraft.pk), start=at(15, 9), end=at(15, 10),
            crew=[(pilot, BookingCrew.Role.PIC)]))
    assert refused.value.code == "aircraft_retired"
    assert Booking.objects.get(pk=stale.pk).start < timezone.now()


def test_a_retired_aircraft_is_not_edited_grounded_or_released_until_reinstated(admin, aircraft):
    aircraft_retire(actor=admin, aircraft=aircraft)
    with pytest.raises(ValidationError) as refused:
        aircraft_update(actor=admin, aircraft=aircraft, data=AircraftInput(registration="F-GABC", aircraft_type="DR401"))
    assert refused.value.code == "aircraft_retired"
    from dispatch.services.fleet import aircraft_set_status
    with pytest.raises(ValidationError) as refused:
        aircraft_set_status(actor=admin, aircraft=aircraft, grounded=True, reason="Sold for parts")
    assert refused.value.code == "aircraft_retired"
    kept = Aircraft.objects.get(pk=aircraft.pk)
    assert (kept.aircraft_type, kept.status) == (aircraft.aircraft_type, Aircraft.Status.AVAILABLE)
    aircraft_reinstate(actor=admin, aircraft=kept)
    aircraft_update(actor=admin, aircraft=kept, data=AircraftInput(registration="F-GABC", aircraft_type="DR401"))
    assert Aircraft.objects.get(pk=aircraft.pk).aircraft_type == "DR401"
