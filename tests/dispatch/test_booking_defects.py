"""Defects found trying the demo, each pinned by a test that failed before its fix."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict, Invalid
from dispatch import policy
from dispatch.models import Aircraft, Booking, BookingCrew
from dispatch.services.bookings import BookingInput, booking_update
from dispatch.services.dispatching import booking_check_out
from dispatch.services.fleet import AircraftInput, aircraft_create
from tests.conftest import at, client_for, make_member

PIC, INSTR, STUDENT, PAX = (BookingCrew.Role.PIC, BookingCrew.Role.INSTRUCTOR,
                            BookingCrew.Role.STUDENT, BookingCrew.Role.PASSENGER)


def _form(aircraft, pic, start="2030-06-10T09:00", end="2030-06-10T11:00", **extra):
    return {"aircraft": aircraft.pk, "start": start, "end": end, "pic": pic.pk, "purpose": "rental", **extra}


# Year 9999: a clear message, never a 500.

@pytest.mark.parametrize("start,end", [("9999-12-31T22:00", "9999-12-31T23:00"), ("2030-06-10T09:00", "9999-12-31T23:30"),
                                       ("1900-01-01T09:00", "1900-01-01T10:00")])
def test_booking_form_refuses_times_out_of_range(dispatcher, aircraft, pilot, club, start, end):
    response = client_for(dispatcher).post(reverse("dispatch:booking_new", args=[club.slug]),
                                           _form(aircraft, pilot, start=start, end=end))
    assert response.status_code == 400
    assert "Give a date between 2000 and 2100." in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("start", ["9999-12-31T23:00", "0001-01-01T00:00", "2030-13-01T00:00", "x" * 300])
def test_new_booking_page_survives_odd_start(dispatcher, club, aircraft, start):
    response = client_for(dispatcher).get(reverse("dispatch:booking_new", args=[club.slug]),
                                          {"start": start, "aircraft": aircraft.pk})
    assert response.status_code == 200


def test_the_service_bounds_times_too(book, aircraft, pilot):
    with pytest.raises(Invalid) as refused:
        book(aircraft, at(10, 9).replace(year=2101), at(10, 10).replace(year=2101), [(pilot, PIC)])
    assert refused.value.code == "time_out_of_range" and refused.value.field == "start"


# A crew member deactivated since is never dropped silently.

@pytest.fixture
def gone_passenger(book, aircraft, pilot, club):
    passenger = make_member(club, "robin", is_pilot=True)
    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, PIC), (passenger, PAX)])
    passenger.is_active = False
    passenger.save()
    return booking, passenger


def test_editing_a_booking_with_a_deactivated_member_refuses_and_names_them(dispatcher, gone_passenger, aircraft,
                                                                             pilot, club):
    booking, passenger = gone_passenger
    client = client_for(dispatcher)
    url = reverse("dispatch:booking_edit", args=[club.slug, booking.pk])
    html = client.get(url).content.decode()
    assert f'<option value="{passenger.pk}" selected>Robin</option>' in html  # still on the form
    response = client.post(url, _form(aircraft, pilot, passengers=[passenger.pk], notes="moved"))
    assert response.status_code == 400
    assert "Robin is not an active member and cannot be booked." in response.content.decode()
    assert sorted(c.membership_id for c in booking.crew.all()) == sorted([pilot.pk, passenger.pk])
    assert Booking.objects.get(pk=booking.pk).notes == ""


def test_the_service_refuses_a_deactivated_member_with_its_code(dispatcher, gone_passenger, aircraft, pilot):
    booking, passenger = gone_passenger
    with pytest.raises(Conflict) as refused:
        booking_update(actor=dispatcher, booking=booking, data=BookingInput(
            aircraft=aircraft, start=at(10, 9), end=at(10, 12), crew=[(pilot, PIC), (passenger, PAX)]))
    assert refused.value.code == "member_inactive" and "Robin" in refused.value.message


# A deactivated member's future bookings: at risk on the board, and no check-out.

def test_board_marks_a_future_booking_with_a_deactivated_member_at_risk(dispatcher, book, aircraft, pilot, club):
    start = timezone.now() + timedelta(days=1)
    booking = book(aircraft, start, start + timedelta(hours=1), [(pilot, PIC)])
    pilot.is_active = False
    pilot.save()
    day = timezone.localtime(start, club.tz).date().isoformat()
    html = client_for(dispatcher).get(reverse("dispatch:board", args=[club.slug]), {"date": day}).content.decode()
    assert f'id="booking-{booking.pk}" class="block status-booked at-risk"' in html
    assert "at risk: Pilot no longer an active member" in html


def test_check_out_with_a_deactivated_member_is_refused(dispatcher, booking, pilot):
    pilot.is_active = False
    pilot.save()
    with pytest.raises(Conflict) as refused:
        booking_check_out(actor=dispatcher, booking=booking, hobbs_out=Decimal("1000"), tach_out=Decimal("800"))
    assert refused.value.code == "member_inactive" and "Pilot is no longer an active member" in refused.value.message
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED


# Roles a club relies on.

def test_pilot_in_command_needs_a_flying_role(book, aircraft, admin, dispatcher):
    with pytest.raises(Invalid) as refused:
        book(aircraft, at(10, 9), at(10, 11), [(admin, PIC)])
    assert refused.value.code == "pic_not_pilot" and refused.value.field == "pic"
    with pytest.raises(Invalid) as refused:
        book(aircraft, at(10, 9), at(10, 11), [(admin, INSTR)])
    assert refused.value.code == "not_an_instructor"
    assert not Booking.objects.exists()


def test_student_field_lists_students_and_student_role_needs_an_instructor(dispatcher, book, aircraft, club, student,
                                                                           pilot, instructor):
    form = client_for(dispatcher).get(reverse("dispatch:booking_new", args=[club.slug])).context["form"]
    assert list(form.fields["student"].queryset) == [student]
    assert pilot in form.fields["pic"].queryset and dispatcher not in form.fields["pic"].queryset
    with pytest.raises(Invalid) as refused:
        book(aircraft, at(10, 9), at(10, 11), [(instructor, INSTR), (pilot, STUDENT)])
    assert refused.value.code == "not_a_student"


def test_instructor_books_a_students_solo_and_then_sees_and_changes_it(book, aircraft, instructor, student, club):
    solo = book(aircraft, at(10, 9), at(10, 11), [(student, PIC)], actor=instructor)
    assert policy.may_see_booking(instructor, solo) and policy.may_change_booking(instructor, solo)
    client = client_for(instructor)
    assert client.get(reverse("dispatch:booking", args=[club.slug, solo.pk])).status_code == 200
    response = client.post(reverse("dispatch:booking_edit", args=[club.slug, solo.pk]),
                           _form(aircraft, student, start="2030-06-10T10:00", end="2030-06-10T11:00"))
    assert response.status_code == 302
    assert Booking.objects.get(pk=solo.pk).start == at(10, 10)


# Registrations compared without spaces and dashes.

def test_registrations_differing_by_spaces_or_dashes_are_one_aircraft(admin, aircraft):
    first = aircraft_create(actor=admin, data=AircraftInput(registration="C-GDFA", aircraft_type="C172"))
    for same in ("C GDFA", "cgdfa", "C-G-DFA"):
        with pytest.raises(Conflict) as refused:
            aircraft_create(actor=admin, data=AircraftInput(registration=same, aircraft_type="C172"))
        assert refused.value.code == "registration_taken" and "C-GDFA" in refused.value.message
    assert list(Aircraft.objects.filter(registration__icontains="G").exclude(pk=aircraft.pk)) == [first]


def test_the_database_guarantees_one_registration_key_per_club(club, other_club):
    from django.db import IntegrityError, transaction

    Aircraft.objects.create(organization=club, registration="C-GDFA", aircraft_type="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Aircraft.objects.create(organization=club, registration="CGDFA", aircraft_type="x")
    Aircraft.objects.create(organization=other_club, registration="CGDFA", aircraft_type="x")
