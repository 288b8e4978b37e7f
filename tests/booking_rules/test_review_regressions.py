"""What the review and the attack on issue 14 found in the booking rules, each a test that
failed first: what a booking kept was lost on a later change, and the people the rules
check could grant themselves what the rules look for."""

from datetime import timedelta

import pytest
from django.utils import timezone

from booking_rules.checks import club_rules
from booking_rules.models import AircraftCheckout, BookingRules, SoloEndorsement
from booking_rules.services import checkout_grant, endorsement_grant, endorsement_revoke
from clubs.services import MemberDetails, member_documents_update, member_update
from core.errors import Invalid, NotAllowed
from dispatch.models import BookingCrew
from dispatch.services.bookings import BookingInput, booking_update
from dispatch.services.checks import BOOKING, BookingFacts
from dispatch.services.dispatching import booking_check_out
from tests.conftest import make_member

PIC, STUDENT = BookingCrew.Role.PIC, BookingCrew.Role.STUDENT


def _notes(booking, pilot, aircraft, notes):
    return BookingInput(aircraft=aircraft, start=booking.start, end=booking.end, crew=[(pilot, PIC)], notes=notes)


def test_changing_a_checked_out_booking_keeps_what_check_out_found(club, book, aircraft, pilot, dispatcher):
    BookingRules.objects.create(organization=club, medical="warn")
    now = timezone.now()
    booking = book(aircraft, now - timedelta(minutes=30), now + timedelta(hours=1), [(pilot, PIC)])
    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    booking.refresh_from_db()
    booking_update(actor=dispatcher, booking=booking, data=_notes(booking, pilot, aircraft, "Fuel to the tabs"))
    booking.refresh_from_db()
    assert {f["stage"] for f in booking.rule_findings} == {"booking", "check_out"}


def test_a_change_of_the_notes_keeps_the_override(club, book, aircraft, pilot, dispatcher):
    BookingRules.objects.create(organization=club, medical="block")
    now = timezone.now()
    booking = book(aircraft, now + timedelta(hours=3), now + timedelta(hours=4), [(pilot, PIC)],
                   override_reason="Medical seen on paper")
    booking_update(actor=dispatcher, booking=booking, data=_notes(booking, pilot, aircraft, "x"))
    booking.refresh_from_db()
    assert [(f["code"], f["overridden"]) for f in booking.rule_findings] == [("medical_expired", True)]


def test_moving_the_booking_asks_the_rules_again(club, book, aircraft, pilot, dispatcher):
    BookingRules.objects.create(organization=club, medical="block")
    now = timezone.now()
    booking = book(aircraft, now + timedelta(hours=3), now + timedelta(hours=4), [(pilot, PIC)],
                   override_reason="Medical seen on paper")
    moved = BookingInput(aircraft=aircraft, start=booking.start + timedelta(days=1), end=booking.end + timedelta(days=1),
                         crew=[(pilot, PIC)])
    with pytest.raises(Exception) as exc:
        booking_update(actor=dispatcher, booking=booking, data=moved)
    assert exc.value.code == "medical_expired"


def test_a_dispatcher_does_not_enter_their_own_document_dates(club, dispatcher, admin):
    with pytest.raises(NotAllowed) as exc:
        member_documents_update(actor=dispatcher, membership=dispatcher, medical_expires_on=timezone.now().date())
    assert exc.value.code == "own_documents"
    dispatcher.refresh_from_db()
    assert dispatcher.medical_expires_on is None
    member_documents_update(actor=admin, membership=admin, medical_expires_on=timezone.now().date())  # admins may


def test_an_instructor_does_not_check_themselves_out(instructor, aircraft, admin):
    with pytest.raises(NotAllowed) as exc:
        checkout_grant(actor=instructor, member=instructor, aircraft=aircraft)
    assert exc.value.code == "own_checkout" and not AircraftCheckout.objects.exists()
    checkout_grant(actor=admin, member=instructor, aircraft=aircraft)


def test_nobody_endorses_themselves_and_a_member_is_not_their_own_instructor(club, instructor, admin):
    with pytest.raises(Invalid) as exc:
        member_update(membership=instructor, actor=admin, details=MemberDetails(
            full_name="Instructor", email=instructor.user.email, roles=frozenset({"instructor", "pilot"}),
            wiflight_username=instructor.wiflight_username, instructor=instructor))
    assert exc.value.code == "own_instructor"
    instructor.instructor = instructor  # as if it got there before the rule
    instructor.save()
    with pytest.raises(NotAllowed) as exc:
        endorsement_grant(actor=instructor, student=instructor, expires_on=timezone.now().date() + timedelta(days=10))
    assert exc.value.code == "own_endorsement" and not SoloEndorsement.objects.exists()


def test_only_the_students_instructor_revokes_their_endorsement(club, instructor, student):
    endorsement = endorsement_grant(actor=instructor, student=student, expires_on=timezone.now().date() + timedelta(days=10))
    other = make_member(club, "instr2", is_instructor=True, is_pilot=True)
    with pytest.raises(NotAllowed) as exc:
        endorsement_revoke(actor=other, endorsement=endorsement)
    assert exc.value.code == "not_your_student"
    endorsement.refresh_from_db()
    assert endorsement.revoked_at is None


def test_a_student_with_a_pilot_in_command_is_not_solo(club, aircraft, student, pilot, dispatcher):
    BookingRules.objects.create(organization=club, solo_endorsement="block")
    now = timezone.now()
    facts = BookingFacts(stage=BOOKING, organization=club, actor=dispatcher, aircraft=aircraft, start=now,
                         end=now + timedelta(hours=1), crew=[(student, STUDENT), (pilot, PIC)])
    assert club_rules(facts) == []
    alone = BookingFacts(stage=BOOKING, organization=club, actor=dispatcher, aircraft=aircraft, start=now,
                         end=now + timedelta(hours=1), crew=[(student, STUDENT)])
    assert [f.code for f in club_rules(alone)] == ["solo_not_endorsed"]
