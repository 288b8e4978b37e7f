"""The club's booking rules, and what members hold: aircraft checkouts, solo endorsements.
(Licence, medical and flight-review dates are on the membership: clubs.models.)"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class Level(models.TextChoices):
    OFF = "off", "Off"
    WARN = "warn", "Warn"
    BLOCK = "block", "Block"


# Every rule: its field on BookingRules, and what it checks (booking_rules.checks).
RULES = {
    "licence": "The crew's licence has not expired.",
    "medical": "The crew's medical has not expired.",
    "flight_review": "The pilot's flight review has not expired.",
    "aircraft_checkout": "The pilot in command is checked out on the aircraft or its type.",
    "recency": "The pilot in command has flown the type recently.",
    "credit_limit": "The paying member's account is within its credit limit.",
    "active_bookings": "A member holds at most so many bookings still to fly.",
    "horizon": "Bookings are made at most so many days ahead.",
    "length": "A booking lasts at most so many hours.",
    "solo_endorsement": "A student flying solo holds an instructor's endorsement.",
}


def _level(help_text: str) -> models.CharField:
    return models.CharField(max_length=8, choices=Level.choices, default=Level.OFF, help_text=help_text)


class BookingRules(models.Model):
    """One per club, made on first use, every rule off until the club turns it on."""

    organization = models.OneToOneField("clubs.Organization", on_delete=models.CASCADE, related_name="booking_rules")
    licence = _level(RULES["licence"])
    medical = _level(RULES["medical"])
    flight_review = _level(RULES["flight_review"])
    aircraft_checkout = _level(RULES["aircraft_checkout"])
    recency = _level(RULES["recency"])
    credit_limit = _level(RULES["credit_limit"])
    active_bookings = _level(RULES["active_bookings"])
    horizon = _level(RULES["horizon"])
    length = _level(RULES["length"])
    solo_endorsement = _level(RULES["solo_endorsement"])
    recency_days = models.PositiveSmallIntegerField(default=90, help_text="Days within which the type was last flown.")
    max_active_bookings = models.PositiveSmallIntegerField(default=5, help_text="Bookings still to fly, per member.")
    horizon_days = models.PositiveSmallIntegerField(default=60, help_text="How far ahead a booking may start.")
    max_length_hours = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("6"),
                                           help_text="The longest booking, in hours.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "booking rules"
        constraints = [
            models.CheckConstraint(condition=Q(recency_days__gte=1) & Q(max_active_bookings__gte=1)
                                   & Q(horizon_days__gte=1) & Q(max_length_hours__gt=0),
                                   name="booking_rules_parameters_positive"),
        ]

    def level_of(self, rule: str) -> str:
        return getattr(self, rule)


class AircraftCheckout(models.Model):
    """A member may fly this aircraft, or every aircraft of this type, as pilot in command.
    Granted by an instructor or an admin; revoked, never deleted (the audit keeps why)."""

    organization = models.ForeignKey("clubs.Organization", on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey("clubs.Membership", on_delete=models.CASCADE, related_name="aircraft_checkouts")
    aircraft = models.ForeignKey("dispatch.Aircraft", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    aircraft_type = models.CharField(max_length=60, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["membership", "aircraft_type", "aircraft"]
        constraints = [
            models.CheckConstraint(condition=(Q(aircraft__isnull=False) & Q(aircraft_type=""))
                                   | (Q(aircraft__isnull=True) & ~Q(aircraft_type="")),
                                   name="checkout_aircraft_or_type"),
        ]


class SoloEndorsement(models.Model):
    """An instructor's endorsement for a student to fly solo, until a date, optionally on one
    type only."""

    organization = models.ForeignKey("clubs.Organization", on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey("clubs.Membership", on_delete=models.CASCADE, related_name="solo_endorsements")
    instructor = models.ForeignKey("clubs.Membership", null=True, on_delete=models.SET_NULL, related_name="+")
    aircraft_type = models.CharField(max_length=60, blank=True, help_text="Empty: any type.")
    granted_on = models.DateField()
    expires_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["membership", "-expires_on"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gte=models.F("granted_on")), name="endorsement_ends_after_start"),
        ]
