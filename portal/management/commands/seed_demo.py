"""Seed "Demo Flying Club": five aircraft and a simulator, ten members (a treasurer and a
mechanic among them), a week of bookings around today (a busy morning with most of the fleet
going out), an instructor's available hours, a squawk from a check-in, and the club's money:
its terms in Canadian dollars and the previous month flown, invoiced and partly paid
(_demo_accounts.py). The booking rules (the medical warns, the aircraft checkout blocks),
checkouts, a solo endorsement and document dates come before any booking (_demo_rules.py);
after the bookings, the fleet's maintenance: a 100-hour due soon, an overdue annual that
grounds an aircraft, a deferred squawk (_demo_maintenance.py); and two club events, ground
school this week and a fly-in (_demo_calendar.py).

Idempotent: running it again adds nothing that is already there (bookings are added only
where their slot is still free, so a later day's run fills in the new days).
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dispatch.models import Aircraft, Booking, BookingCrew, InstructorAvailability
from dispatch.services import rules
from dispatch.services.bookings import BookingInput, booking_create
from core.crypto import encrypt_text
from portal.env import env_str
from integrations.wiflight.models import WiFlightConnection, default_match_domain
from integrations.wiflight.sync_marking import reservation_sync_club
from clubs.models import Membership, Organization, User
from portal.management.commands import _demo_accounts, _demo_calendar, _demo_maintenance, _demo_rules

DEMO_PASSWORD = "flightline-demo"
DEMO_DOMAIN = "demo.flightline.test"
# The Wi-Flight simulator's demo fleet (python -m wiflight_sim seed_demo) matches these.
DEMO_WIFLIGHT_ADMIN = "flightline@demo.flightline.test"
DEMO_WIFLIGHT_PASSWORD = "demo-wiflight"
DEMO_NOTIFY_PROFILE = "flightline-demo"
# The simulator's demo notify profile POSTs to /wiflight/notify/demo/ with these (Basic auth).
DEMO_NOTIFY_USER = "wiflight"
DEMO_NOTIFY_SECRET = "demo-notify-secret"
AIRCRAFT = [
    ("C-GDFA", "Cessna 172S", Aircraft.Kind.AIRPLANE, "185.00"),
    ("C-GDFB", "Cessna 172S", Aircraft.Kind.AIRPLANE, "185.00"),
    ("C-FDFC", "Piper PA-28-161", Aircraft.Kind.AIRPLANE, "165.00"),  # its annual is overdue: grounded
    ("SIM1", "Redbird FMX", Aircraft.Kind.SIMULATOR, "90.00"),
    ("C-GDFD", "Cessna 152", Aircraft.Kind.AIRPLANE, "140.00"),
    ("C-GDFE", "Diamond DA40", Aircraft.Kind.AIRPLANE, "210.00"),  # its 100-hour is due soon
]
MEMBERS = [
    ("admin", "Alex Admin", {"is_admin": True, "is_pilot": False}),
    ("dispatcher", "Dana Dispatcher", {"is_dispatcher": True, "is_pilot": False}),
    ("instructor", "Ines Instructor", {"is_instructor": True, "is_pilot": True}),
    ("pilot", "Pat Pilot", {"is_pilot": True}),
    ("student", "Sam Student", {"is_pilot": True}),
    ("instructor2", "Ivan Instructor", {"is_instructor": True, "is_pilot": True}),
    ("renter", "Robin Renter", {"is_pilot": True}),
    ("cadet", "Casey Cadet", {"is_pilot": True}),
    ("treasurer", "Terry Treasurer", {"is_treasurer": True, "is_pilot": False}),
    ("mechanic", "Morgan Mechanic", {"is_maintenance": True, "is_pilot": False}),
]
STUDENTS = {"student": "instructor", "cadet": "instructor2"}
# (day offset, from hour, to hour, instructor)
AVAILABILITY = [(0, 7, 12, "instructor"), (0, 13, 18, "instructor2"), (1, 8, 17, "instructor"), (2, 9, 15, "instructor2")]
SQUAWK = "Left landing light inoperative; right brake soft."
# (day offset, aircraft index, start hour, hours, crew as (member, role), purpose)
SCHEDULE = [
    (-3, 0, 9, 2, [("pilot", "pic")], "rental"),
    (-2, 1, 10, 2, [("instructor", "instructor"), ("student", "student")], "training"),
    (-1, 0, 14, 2, [("pilot", "pic")], "rental"),
    (-1, 4, 9, 2, [("renter", "pic")], "rental"),
    # Today: most of the fleet goes out in the morning.
    (0, 0, 7, 2, [("instructor", "instructor"), ("student", "student")], "training"),
    (0, 1, 7, 3, [("renter", "pic")], "rental"),
    (0, 4, 8, 2, [("instructor2", "instructor"), ("cadet", "student")], "training"),
    (0, 5, 9, 2, [("pilot", "pic")], "rental"),
    (0, 0, 11, 2, [("pilot", "pic")], "rental"),
    (0, 3, 15, 1, [("student", "pic")], "training"),
    (0, 5, 14, 3, [("instructor2", "instructor"), ("cadet", "student")], "training"),
    (1, 0, 9, 2, [("pilot", "pic")], "rental"),
    (1, 2, 13, 2, [("instructor", "instructor"), ("student", "student")], "training"),
    (1, 4, 10, 2, [("renter", "pic")], "rental"),
    (2, 1, 8, 4, [("pilot", "pic")], "rental"),
    (2, 5, 13, 2, [("instructor2", "instructor"), ("cadet", "student")], "training"),
    (3, 0, 10, 2, [("instructor", "instructor"), ("student", "student")], "training"),
]


class Command(BaseCommand):
    help = "Create or top up the demo club (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            club, _ = Organization.objects.get_or_create(
                slug="demo", defaults={"name": "Demo Flying Club", "timezone": "America/Toronto",
                                       "wiflight_user_domain": DEMO_DOMAIN, "show_instructor_rows": True,
                                       "pilots_self_dispatch": True, "booking_step_minutes": 15})
            members = {name: self._member(club, name, full, roles) for name, full, roles in MEMBERS}
            for student, instructor in STUDENTS.items():
                members[student].instructor = members[instructor]
                members[student].save(update_fields=["instructor"])
            fleet = [self._aircraft(club, *spec) for spec in AIRCRAFT]
            self._wiflight(club)
        # The rules before any booking, so every demo booking and check-out is held to them.
        _demo_rules.rules(club, members, fleet)
        _demo_accounts.billing_terms(club, members, fleet)
        flown = _demo_accounts.last_month(club, members, fleet)
        created = self._bookings(club, members, fleet)
        self._availability(club, members)
        # After the bookings: the overdue annual grounds C-FDFC under its booking tomorrow.
        _demo_maintenance.maintenance(club, members, fleet)
        _demo_calendar.events(club, members)
        self.stdout.write(f"Demo club ready: {len(fleet)} aircraft, {len(members)} members, {created} new bookings, "
                          f"{flown} flown last month.")

    def _member(self, club, username, full_name, roles) -> Membership:
        user, made = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@{DEMO_DOMAIN}", "full_name": full_name})
        if made:
            user.set_password(DEMO_PASSWORD)
            user.save()
        defaults = {"is_admin": False, "is_dispatcher": False, "is_instructor": False, "is_pilot": False,
                    "is_maintenance": False, "is_treasurer": False, **roles, "wiflight_username": f"{username}@{DEMO_DOMAIN}"}
        membership, _ = Membership.objects.get_or_create(organization=club, user=user, defaults=defaults)
        return membership

    def _aircraft(self, club, registration, type_, kind, rate) -> Aircraft:
        aircraft, _ = Aircraft.objects.get_or_create(
            organization=club, registration=registration,
            defaults={"aircraft_type": type_, "kind": kind, "hourly_rate": Decimal(rate), "home_base": "CYRO",
                      "hobbs": Decimal("1520.0"), "tach": Decimal("1210.0"),
                      "has_wiflight_recorder": kind != Aircraft.Kind.SIMULATOR})
        return aircraft

    def _wiflight(self, club) -> None:
        """Connect the demo club to the Wi-Flight simulator that `make run` starts."""
        if WiFlightConnection.objects.filter(organization=club).exists():
            WiFlightConnection.objects.filter(organization=club, notify_secret_encrypted="").update(
                notify_username=DEMO_NOTIFY_USER, notify_secret_encrypted=encrypt_text(DEMO_NOTIFY_SECRET))
            return
        conn = WiFlightConnection(
            organization=club, enabled=True, base_url=env_str("WIFLIGHT_DEMO_URL", "http://127.0.0.1:8001"),
            username=DEMO_WIFLIGHT_ADMIN, name_domain=DEMO_DOMAIN, match_domain=default_match_domain(club),
            notify_profile=DEMO_NOTIFY_PROFILE, maintenance_enabled=True, notify_username=DEMO_NOTIFY_USER,
            notify_secret_encrypted=encrypt_text(DEMO_NOTIFY_SECRET))
        conn.set_password(DEMO_WIFLIGHT_PASSWORD)
        conn.save()
        reservation_sync_club(club)

    def _bookings(self, club, members, fleet) -> int:
        tz, today = club.tz, timezone.localdate(timezone=club.tz)
        dispatcher, created = members["dispatcher"], 0
        for offset, ac, hour, hours, crew, purpose in SCHEDULE:
            aircraft = Aircraft.objects.get(pk=fleet[ac].pk)
            start = datetime.combine(today + timedelta(days=offset), time(hour), tzinfo=tz)
            end = start + timedelta(hours=hours)
            if rules.aircraft_conflict(aircraft, start, end) is not None:
                continue
            if aircraft.is_grounded:
                continue
            data = BookingInput(aircraft=aircraft, start=start, end=end, purpose=purpose,
                                crew=[(members[m], BookingCrew.Role(role)) for m, role in crew])
            booking = booking_create(actor=dispatcher, data=data)
            created += 1
            if end < timezone.now():
                self._fly(dispatcher, booking, hours)
        return created

    def _availability(self, club, members) -> None:
        tz, today = club.tz, timezone.localdate(timezone=club.tz)
        for offset, since, until, who in AVAILABILITY:
            day = today + timedelta(days=offset)
            start = datetime.combine(day, time(since), tzinfo=tz)
            InstructorAvailability.objects.get_or_create(
                organization=club, instructor=members[who], start=start,
                defaults={"end": datetime.combine(day, time(until), tzinfo=tz)})

    def _fly(self, dispatcher, booking: Booking, hours: int) -> None:
        # The first aircraft's pilots report the same defects: the fleet page shows them.
        registration = Aircraft.objects.values_list("registration", flat=True).get(pk=booking.aircraft_id)
        _demo_accounts.fly(dispatcher, booking, hours, squawks=SQUAWK if registration == AIRCRAFT[0][0] else "")
