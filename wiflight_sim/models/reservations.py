from django.db import models

from wiflight_sim.models.accounts import SimUser


class Reservation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=200, db_index=True)  # the matching competition group
    aircraft = models.ForeignKey("wiflight_sim.Aircraft", on_delete=models.PROTECT, related_name="reservations")
    start = models.DateTimeField()
    end = models.DateTimeField()
    notify_profile = models.CharField(max_length=100, blank=True)
    crew = models.ManyToManyField(SimUser, related_name="reservations", blank=True)
    owner = models.ForeignKey(SimUser, on_delete=models.PROTECT, related_name="owned_reservations")
    version = models.PositiveIntegerField(default=1)  # bumped only when the content changes
    content_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="reservation_start_before_end")]

    @property
    def etag(self) -> str:
        # Quoted like RFC 9110 strong validators; clients must echo it byte for byte anyway.
        return f'"r{self.pk}v{self.version}"'
