"""The demo club's booking rules, for seed_demo: the medical checked as a warning, the
aircraft checkout as a block (with checkouts granted to every demo pilot but the cadet, who
flies with an instructor, so the demo still books), a solo endorsement for the student, and
the members' document dates (the renter's medical runs out within the month).

Everything goes through the services, as the club's admin and instructors would do it, and
before any demo booking, so the rules are asked at each one. Run twice it adds nothing: the
rules are set once (while the club has none), each checkout, endorsement and date only where
none is on file.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from booking_rules.models import AircraftCheckout, BookingRules, Level, SoloEndorsement
from booking_rules.services import RulesInput, booking_rules_update, checkout_grant, endorsement_grant

# Member -> the aircraft types (or registrations) they are checked out on in command.
CHECKOUTS = {
    "instructor": ["Cessna 172S", "Cessna 152", "Piper PA-28-161", "Diamond DA40"],
    "instructor2": ["Cessna 172S", "Cessna 152", "Piper PA-28-161", "Diamond DA40"],
    "pilot": ["Cessna 172S", "Piper PA-28-161", "Diamond DA40"],
    "renter": ["Cessna 172S", "Cessna 152"],
    "student": ["C-GDFD"],  # one aircraft, not its type: the student's solo lessons are on it
}
# Member -> days from today until their licence, medical and flight review expire.
DOCUMENTS = {
    "instructor": (900, 300, 500),
    "instructor2": (700, 250, 400),
    "pilot": (800, 200, 300),
    "renter": (600, 18, 200),  # the medical runs out within the month: the reminder and the warning show it
    "student": (None, 330, None),
    "cadet": (None, 360, None),
}
SOLO_DAYS = 60


def rules(club, members, fleet) -> None:
    admin = members["admin"]
    with transaction.atomic():
        if not BookingRules.objects.filter(organization=club).exists():
            booking_rules_update(actor=admin, data=RulesInput(medical=Level.WARN, aircraft_checkout=Level.BLOCK,
                                                              solo_endorsement=Level.BLOCK))
        _documents(club, members)
        _checkouts(members, fleet)
        _endorsement(club, members)


def _documents(club, members) -> None:
    today = timezone.localdate(timezone=club.tz)
    for name, days in DOCUMENTS.items():
        member = members[name]
        if member.licence_expires_on or member.medical_expires_on or member.flight_review_expires_on:
            continue
        licence, medical, review = (today + timedelta(days=d) if d is not None else None for d in days)
        members[name] = _refreshed(member, members["admin"], licence, medical, review)


def _refreshed(member, admin, licence, medical, review):
    from clubs.services import member_documents_update

    return member_documents_update(membership=member, actor=admin, licence_expires_on=licence,
                                   medical_expires_on=medical, flight_review_expires_on=review)


def _checkouts(members, fleet) -> None:
    by_registration = {a.registration: a for a in fleet}
    for name, targets in CHECKOUTS.items():
        member = members[name]
        granter = members["admin"] if member.is_instructor else members["instructor"]
        held = AircraftCheckout.objects.filter(membership=member, revoked_at__isnull=True)
        for target in targets:
            aircraft = by_registration.get(target)
            if aircraft is not None:
                if not held.filter(aircraft=aircraft).exists():
                    checkout_grant(actor=granter, member=member, aircraft=aircraft, note="Checkout flight flown")
            elif not held.filter(aircraft_type__iexact=target).exists():
                checkout_grant(actor=granter, member=member, aircraft_type=target, note="Checkout flight flown")


def _endorsement(club, members) -> None:
    student = members["student"]
    if SoloEndorsement.objects.filter(membership=student, revoked_at__isnull=True).exists():
        return
    today = timezone.localdate(timezone=club.tz)
    endorsement_grant(actor=members["instructor"], student=student, expires_on=today + timedelta(days=SOLO_DAYS),
                      aircraft_type="Cessna 152", note="Circuits at CYRO")
