"""What maintenance learns from the change path (registered in MaintenanceConfig.ready()),
inside the writer's transaction: every meter reading joins the chain, the check-in's squawk
is filed, and the aircraft's status follows (an item falls overdue with the hours flown)."""

from decimal import Decimal

from django.utils import timezone

from clubs.changes import Change, subscribe
from dispatch.models import Aircraft, Dispatch
from dispatch.services.checks import register_booking_checker, register_release_hold
from flights.models import Flight
from maintenance import chain
from maintenance.checks import due_at_check_out
from maintenance.models import MeterReading
from maintenance.services.grounding import causes, grounding_sync
from maintenance.services.squawks import squawk_from_check_in

S = MeterReading.Source


def _aircraft_added(change: Change) -> None:
    aircraft = change.target
    chain.record(aircraft=aircraft, at=aircraft.created_at, source=S.INITIAL, hobbs=aircraft.hobbs, tach=aircraft.tach,
                 recorded_by=change.actor.user if change.actor else None)


def _meters_corrected(change: Change) -> None:
    aircraft = Aircraft.objects.get(pk=change.target.pk)
    chain.record(aircraft=aircraft, at=timezone.now(), source=S.CORRECTION, hobbs=aircraft.hobbs, tach=aircraft.tach,
                 recorded_by=change.actor.user if change.actor else None,
                 note=f"Corrected by hand: {change.payload.get('reason', '')}")
    grounding_sync(aircraft)


def _dispatched(change: Change) -> None:
    record = Dispatch.objects.select_related("booking__aircraft").filter(booking_id=change.target.pk).first()
    if record is None:
        return
    # A check-out below the last check-in with a reason is the dispatcher's correction of
    # the meter (audited by dispatch): a reset of the chain, not a reading out of order.
    note = f"Meter correction at check-out: {record.correction_reason}" if record.correction_reason else ""
    chain.record(aircraft=record.booking.aircraft, at=record.checked_out_at, source=S.CHECK_OUT,
                 hobbs=record.hobbs_out, tach=record.tach_out, booking=record.booking,
                 recorded_by=record.checked_out_by, note=note, reset=bool(record.correction_reason))


def _completed(change: Change) -> None:
    record = Dispatch.objects.select_related("booking__aircraft__organization").filter(booking_id=change.target.pk).first()
    if record is None or record.hobbs_in is None:
        return
    aircraft = record.booking.aircraft
    chain.record(aircraft=aircraft, at=record.checked_in_at, source=S.CHECK_IN, hobbs=record.hobbs_in,
                 tach=record.tach_in, booking=record.booking, recorded_by=record.checked_in_by)
    squawk_from_check_in(booking_id=record.booking_id)
    grounding_sync(aircraft)


def _check_in_corrected(change: Change) -> None:
    record = Dispatch.objects.select_related("booking__aircraft__organization").filter(booking_id=change.target.pk).first()
    if record is None or record.hobbs_in is None:
        return
    reading = MeterReading.objects.filter(booking_id=record.booking_id, source=S.CHECK_IN).first()
    note = f"Check-in corrected: {record.correction_reason}"
    if reading is None:
        chain.record(aircraft=record.booking.aircraft, at=record.checked_in_at, source=S.CHECK_IN, hobbs=record.hobbs_in,
                     tach=record.tach_in, booking=record.booking, note=note,
                     recorded_by=change.actor.user if change.actor else None)
    else:
        chain.amend(reading, hobbs=record.hobbs_in, tach=record.tach_in, note=note)
    grounding_sync(record.booking.aircraft)


def _flight_detected(change: Change) -> None:
    flight = Flight.objects.select_related("aircraft__organization").filter(pk=change.target.pk).first()
    if flight is None or flight.aircraft is None or MeterReading.objects.filter(flight=flight).exists():
        return
    hours = (Decimal(flight.engine_seconds) / 3600).quantize(Decimal("0.01"))
    chain.record(aircraft=flight.aircraft, at=flight.end, source=S.FLIGHT, engine_hours=hours, flight=flight,
                 note=f"Wi-Flight flight {flight.wiflight_id}")
    grounding_sync(flight.aircraft)


def register() -> None:
    subscribe("aircraft.added", _aircraft_added)
    subscribe("aircraft.meters_corrected", _meters_corrected)
    subscribe("booking.dispatched", _dispatched)
    subscribe("booking.completed", _completed)
    subscribe("booking.check_in_corrected", _check_in_corrected)
    subscribe("flight.detected", _flight_detected)
    register_release_hold(causes)
    register_booking_checker(due_at_check_out)
