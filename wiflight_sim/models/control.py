"""Simulator-only state: the fault switches and the API request log."""

from django.db import models
from django.utils import timezone


class FaultState(models.Model):
    """One row (pk=1). In the database so every server thread and process sees the same faults."""

    unavailable = models.BooleanField(default=False)  # every API request answers 503
    delay_seconds = models.FloatField(default=0.0)  # every API request waits first
    drop_connections = models.BooleanField(default=False)  # close the socket, no response
    fail_fraction = models.FloatField(default=0.0)  # this share of API requests answer 503
    notifications_paused = models.BooleanField(default=False)  # the outbox keeps, nothing sent
    # Per fleet account: {"<username>": {"refuse": true}} answers 403 to that account's every
    # request (its login included); {"<username>": {"delay": 2.5}} makes each of its requests
    # wait first. Other accounts are served as usual (a club whose account is broken).
    accounts = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(fail_fraction__gte=0, fail_fraction__lte=1), name="fault_fraction"),
            models.CheckConstraint(condition=models.Q(delay_seconds__gte=0), name="fault_delay"),
        ]

    @classmethod
    def current(cls) -> "FaultState":
        state, _ = cls.objects.get_or_create(pk=1)
        return state

    def as_dict(self) -> dict:
        return {
            "unavailable": self.unavailable,
            "delay": self.delay_seconds,
            "drop": self.drop_connections,
            "fail_fraction": self.fail_fraction,
            "notifications_paused": self.notifications_paused,
            "accounts": self.accounts,
        }


class RequestLog(models.Model):
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    query = models.CharField(max_length=500, blank=True)
    status = models.PositiveSmallIntegerField()  # 0: the connection was dropped on purpose
    reason = models.CharField(max_length=200, blank=True)
    duration_ms = models.FloatField()
    username = models.CharField(max_length=200, blank=True)
    reservation_name = models.CharField(max_length=200, blank=True, db_index=True)
    body_sha256 = models.CharField(max_length=64, blank=True)
    etag = models.CharField(max_length=100, blank=True)
    if_match = models.CharField(max_length=200, blank=True)
    if_none_match = models.CharField(max_length=200, blank=True)
    fault = models.CharField(max_length=20, blank=True)

    def as_dict(self) -> dict:
        return {
            "id": self.pk,
            "at": self.at.isoformat(),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "reason": self.reason,
            "duration_ms": round(self.duration_ms, 3),
            "user": self.username,
            "reservation": self.reservation_name,
            "body_sha256": self.body_sha256,
            "etag": self.etag,
            "if_match": self.if_match,
            "if_none_match": self.if_none_match,
            "fault": self.fault,
        }
