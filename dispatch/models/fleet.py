"""Aircraft and simulators of a club."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace, Upper

from clubs.models import Organization


def normalize_registration(value: str) -> str:
    """How a registration is stored: upper case, no spaces."""
    return "".join(value.split()).upper()


def registration_key(value: str) -> str:
    """What makes two registrations the same aircraft: "C GDFA", "c-gdfa" and "CGDFA" are one."""
    return value.upper().replace("-", "").replace(" ", "")


# The same key, computed by the database (the unique constraint below is on it).
REGISTRATION_KEY = Replace(Replace(Upper("registration"), Value("-"), Value("")), Value(" "), Value(""))


class AircraftQuerySet(models.QuerySet):
    def in_service(self):
        """Aircraft the club still flies: a retired one keeps its history but leaves the
        board and every picker."""
        return self.filter(retired_at__isnull=True)


class Aircraft(models.Model):
    class Kind(models.TextChoices):
        AIRPLANE = "airplane", "Airplane"
        HELICOPTER = "helicopter", "Helicopter"
        GLIDER = "glider", "Glider"
        SIMULATOR = "simulator", "Simulator"

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        GROUNDED = "grounded", "Grounded"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="aircraft")
    registration = models.CharField(max_length=16, help_text="Tail number, for example C-GABC or N12345.")
    aircraft_type = models.CharField("type", max_length=60, help_text="For example Cessna 172S.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.AIRPLANE)
    home_base = models.CharField(max_length=8, blank=True, help_text="ICAO code, for example CYRO.")
    hourly_rate = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    # Only aircraft carrying a Wi-Flight recorder get reservations there (not simulators).
    has_wiflight_recorder = models.BooleanField("Wi-Flight recorder", default=True)
    grounded_reason = models.CharField(max_length=200, blank=True)
    grounded_at = models.DateTimeField(null=True, blank=True)
    # Grounded by maintenance (an inspection overdue, a grounding squawk) rather than by a
    # person: maintenance releases it when the last cause is cleared; a person's grounding
    # stays until a person releases it (dispatch.services.checks.release_holds).
    grounded_by_maintenance = models.BooleanField(default=False)
    # The meters as of the last check-in: the floor for the next check-out.
    hobbs = models.DecimalField(max_digits=8, decimal_places=1, default=Decimal("0"))
    tach = models.DecimalField(max_digits=8, decimal_places=1, default=Decimal("0"))
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = AircraftQuerySet.as_manager()

    class Meta:
        ordering = ["registration"]
        verbose_name_plural = "aircraft"
        constraints = [
            models.UniqueConstraint(
                F("organization"), REGISTRATION_KEY,
                name="aircraft_registration_unique_per_club",
                violation_error_message="This club already has an aircraft with this registration.",
            ),
            models.CheckConstraint(
                condition=Q(registration=Upper("registration")), name="aircraft_registration_upper"
            ),
            models.CheckConstraint(
                condition=Q(status="available") | ~Q(grounded_reason=""),
                name="aircraft_grounded_has_reason",
            ),
            models.CheckConstraint(condition=Q(hourly_rate__gte=0), name="aircraft_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return self.registration

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def is_grounded(self) -> bool:
        return self.status == self.Status.GROUNDED

