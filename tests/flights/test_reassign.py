"""Moving a flight linked to the wrong booking to the right one: dispatchers and admins only,
within the flight's club and aircraft; the log entries follow the flight except those the
pilot completed or that were billed; both bookings are billed again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounting.models import Invoice, InvoiceLine
from accounting.services.invoices import invoices_issue_all
from accounting.services.terms import aircraft_terms_update
from clubs.models import AuditEvent
from core.errors import Conflict, Invalid, NotAllowed, NotFound
from dispatch.models import BookingCrew
from dispatch.services.bookings import booking_cancel
from flights.models import Flight, FlightCrew, LogbookEntry
from flights.services.assignment import flight_assign, flight_reassign
from flights.services.logbook import logbook_mark_billed, logbook_update
from tests.accounting.conftest import fly, treasurer  # noqa: F401 - fixtures
from tests.conftest import at
from tests.flights.conftest import detect

PIC = BookingCrew.Role.PIC


@pytest.fixture
def wrong(book, aircraft, pilot):
    """The booking before the flight's, which it was linked to by mistake."""
    return book(aircraft, at(14, 8), at(14, 9), [(pilot, PIC)])


@pytest.fixture
def right(book, aircraft, pilot2):
    return book(aircraft, at(14, 9), at(14, 11), [(pilot2, PIC)])


@pytest.fixture
def flight(club, aircraft, notify_conn, wrong, right, dispatcher):
    """A 1 h flight at 09:05, linked to the 08:00 booking."""
    stray = detect(club, "900", at(14, 9, 5))
    flight = Flight.objects.get(pk=stray.pk)
    if flight.booking_id != wrong.pk:
        Flight.objects.filter(pk=flight.pk).update(booking=None)
        LogbookEntry.objects.filter(flight=flight).delete()
        FlightCrew.objects.filter(flight=flight, membership__isnull=False).delete()
        flight.refresh_from_db()
        flight_assign(actor=dispatcher, flight=flight, booking=wrong)
    flight.refresh_from_db()
    return flight


def entries(flight):
    return sorted(LogbookEntry.objects.filter(flight=flight).values_list("membership", "booking"))


@pytest.mark.parametrize("persona", ["dispatcher", "admin"])
def test_moving_a_flight_moves_its_crew_and_log_entries(request, flight, wrong, right, pilot, pilot2, persona):
    assert entries(flight) == [(pilot.pk, wrong.pk)]
    flight_reassign(actor=request.getfixturevalue(persona), flight=flight, booking=right)
    flight.refresh_from_db()
    assert flight.booking == right
    assert set(FlightCrew.objects.filter(flight=flight).exclude(membership=None).values_list("membership", flat=True)) == {pilot2.pk}
    assert entries(flight) == [(pilot2.pk, right.pk)]
    audit = AuditEvent.objects.get(action="wiflight.flight_reassigned")
    assert audit.target_id == str(flight.pk) and f"#{wrong.pk}" in audit.summary


def test_the_event_names_the_booking_the_flight_left(monkeypatch, flight, wrong, right, dispatcher):
    from clubs import changes

    seen = []
    monkeypatch.setattr(changes, "_subscribers", changes._subscribers + [("flight.assigned", seen.append)])
    flight_reassign(actor=dispatcher, flight=flight, booking=right)
    [change] = seen
    assert change.payload["booking_id"] == right.pk and change.payload["previous_booking_id"] == wrong.pk


def test_an_entry_the_pilot_completed_or_that_was_billed_stays(flight, right, pilot, pilot2, admin, dispatcher):
    entry = LogbookEntry.objects.get(flight=flight, membership=pilot)
    logbook_update(actor=pilot, entry=entry, remarks="Circuits", approaches=0, landings=3)
    flight_reassign(actor=dispatcher, flight=flight, booking=right)
    assert entries(flight) == sorted([(pilot.pk, entry.booking_id), (pilot2.pk, right.pk)])
    LogbookEntry.objects.filter(membership=pilot).update(completed_at=None)
    logbook_mark_billed(actor=admin, entry=LogbookEntry.objects.get(membership=pilot))
    # Moved back and forth: pilot2's fresh entry goes, pilot's billed one stays.
    flight.refresh_from_db()
    flight_reassign(actor=dispatcher, flight=flight, booking=entry.booking)
    assert entries(flight) == [(pilot.pk, entry.booking_id)]


def test_a_checked_in_booking_keeps_its_crews_entries_from_the_check_in(club, aircraft, notify_conn, wrong, right,
                                                                        fly, pilot, pilot2, dispatcher):
    fly(wrong, "1.0")
    stray = detect(club, "901", at(14, 9, 5))
    flight = Flight.objects.get(pk=stray.pk)
    if flight.booking_id != wrong.pk:
        Flight.objects.filter(pk=flight.pk).update(booking=None)
        flight.refresh_from_db()
        flight_assign(actor=dispatcher, flight=flight, booking=wrong)
        flight.refresh_from_db()
    assert LogbookEntry.objects.filter(booking=wrong, flight=flight).count() == 1
    flight_reassign(actor=dispatcher, flight=flight, booking=right)
    kept = LogbookEntry.objects.get(membership=pilot)
    assert (kept.booking_id, kept.flight_id, kept.block_minutes) == (wrong.pk, None, 60)
    assert entries(flight) == [(pilot2.pk, right.pk)]


@pytest.mark.parametrize("persona,refusal", [("pilot", NotAllowed), ("pilot2", NotFound), ("instructor", NotFound),
                                             ("outsider", NotFound)])
def test_only_dispatchers_and_admins_move_a_flight(request, flight, right, persona, refusal):
    with pytest.raises(refusal):
        flight_reassign(actor=request.getfixturevalue(persona), flight=flight, booking=right)
    flight.refresh_from_db()
    assert flight.booking_id != right.pk


def test_refusals(club, book, aircraft, aircraft2, pilot, pilot2, dispatcher, flight, wrong, right, other_aircraft,
                  outsider, notify_conn):
    def refused(booking, kind, on=flight):
        with pytest.raises(kind) as caught:
            flight_reassign(actor=dispatcher, flight=on, booking=booking)
        return caught.value.code

    assert refused(wrong, Invalid) == "booking_same"
    assert refused(book(aircraft2, at(14, 9), at(14, 11), [(pilot, PIC)]), Invalid) == "booking_other_aircraft"
    from dispatch.services.bookings import BookingInput, booking_create
    theirs = booking_create(actor=outsider, data=BookingInput(aircraft=other_aircraft, start=at(14, 9), end=at(14, 11),
                                                              crew=[(outsider, PIC)]))
    assert refused(theirs, NotFound) == "booking_not_found"
    late = book(aircraft, at(14, 11), at(14, 12), [(pilot2, PIC)])
    booking_cancel(actor=dispatcher, booking=late)
    late.refresh_from_db()
    assert refused(late, Invalid) == "booking_cancelled"
    loose = detect(club, "902", at(16, 9, 5))
    assert loose.booking_id is None and refused(right, Conflict, on=loose) == "flight_not_assigned"


def test_two_dispatchers_cannot_both_move_it(flight, book, aircraft, right, pilot2, dispatcher, admin):
    later = book(aircraft, at(14, 11), at(14, 12), [(pilot2, PIC)])
    seen_by_admin = Flight.objects.get(pk=flight.pk)
    flight_reassign(actor=dispatcher, flight=flight, booking=right)
    with pytest.raises(Conflict) as refused:
        flight_reassign(actor=admin, flight=seen_by_admin, booking=later)
    assert refused.value.code == "flight_moved"
    flight.refresh_from_db()
    assert flight.booking_id == right.pk


# --- billing (accounting's subscriber bills both bookings) --------------------------------------

@pytest.fixture
def on_engine_time(aircraft, treasurer):
    aircraft_terms_update(actor=treasurer, aircraft=aircraft, basis="engine", wet=True, taxi_allowance_minutes=0,
                          minimum_hours=Decimal(0), member_rate=Decimal("150"), student_rate=None, non_member_rate=None)


def charge_lines(booking):
    return list(InvoiceLine.objects.filter(charge__booking=booking).exclude(invoice__status=Invoice.Status.VOID)
                .values_list("invoice__account__membership", "invoice__kind", "invoice__status", "amount"))


def test_the_new_bookings_pilot_gets_the_draft_line(on_engine_time, flight, wrong, right, pilot, pilot2, dispatcher):
    assert charge_lines(wrong) == [(pilot.pk, "invoice", "draft", Decimal("150.000"))]
    flight_reassign(actor=dispatcher, flight=flight, booking=right)
    assert charge_lines(right) == [(pilot2.pk, "invoice", "draft", Decimal("150.000"))]


def test_the_old_bookings_draft_line_goes_away(on_engine_time, flight, wrong, right, dispatcher):
    flight_reassign(actor=dispatcher, flight=flight, booking=right)
    assert charge_lines(wrong) == []


def test_an_issued_line_of_the_old_booking_is_credited(on_engine_time, flight, wrong, right, pilot, treasurer, dispatcher):
    invoices_issue_all(actor=treasurer)
    flight_reassign(actor=dispatcher, flight=flight, booking=right)
    assert sorted(charge_lines(wrong)) == [(pilot.pk, "credit_note", "draft", Decimal("-150.000")),
                                           (pilot.pk, "invoice", "issued", Decimal("150.000"))]


def test_a_checked_in_old_booking_is_billed_on_its_hobbs_again(on_engine_time, flight, wrong, right, pilot, pilot2,
                                                               fly, dispatcher):
    fly(wrong, "0.8")
    flight.refresh_from_db()
    flight_reassign(actor=dispatcher, flight=flight, booking=right)
    assert charge_lines(wrong) == [(pilot.pk, "invoice", "draft", Decimal("120.000"))]
    assert charge_lines(right) == [(pilot2.pk, "invoice", "draft", Decimal("150.000"))]


# --- the page -----------------------------------------------------------------------------------

def move_url(club, flight):
    return reverse("flights:move", args=[club.slug, flight.pk])


def test_the_move_page_offers_the_other_bookings_and_moves_it(as_user, club, flight, wrong, right, dispatcher):
    page = as_user(dispatcher).get(move_url(club, flight))
    assert page.status_code == 200 and page.context["candidates"] == [right]
    html = page.content.decode()
    assert f'name="booking" value="{right.pk}"' in html and f'value="{wrong.pk}"' not in html
    response = as_user(dispatcher).post(move_url(club, flight), {"booking": right.pk})
    assert response.status_code == 302 and response["Location"] == reverse("flights:flight", args=[club.slug, flight.pk])
    flight.refresh_from_db()
    assert flight.booking == right


def test_the_move_page_shows_a_refusal(as_user, club, flight, wrong, dispatcher):
    response = as_user(dispatcher).post(move_url(club, flight), {"booking": wrong.pk}, follow=True)
    assert "already linked to that booking" in response.content.decode()


@pytest.mark.parametrize("persona", ["pilot", "instructor", "outsider"])
def test_only_dispatchers_and_admins_reach_the_move_page(request, as_user, club, flight, right, persona):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(move_url(club, flight)).status_code == 404
    assert client.post(move_url(club, flight), {"booking": right.pk}).status_code == 404
