"""Which clubs the reconciliation beat runs for: sync on and ready, not run recently."""

from datetime import timedelta

from django.utils import timezone

from clubs.models import Organization
from integrations.wiflight.models import ReconciliationRun, WiFlightConnection
from integrations.wiflight.reconciliation import connections_to_reconcile


def _connection(slug: str, *, enabled=True, password="pw", run_ago: timedelta | None = None) -> WiFlightConnection:
    club = Organization.objects.create(name=slug.title(), slug=slug, timezone="UTC")
    conn = WiFlightConnection(organization=club, enabled=enabled, base_url="https://wf.example.org",
                              username="fleet@x.example.com", name_domain="x.example.com", match_domain=f"m-{slug}")
    if password:
        conn.set_password(password)
    conn.save()
    if run_ago is not None:
        run = ReconciliationRun.objects.create(organization=club, window_start=timezone.now(),
                                               window_end=timezone.now(), finished_at=timezone.now())
        ReconciliationRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - run_ago)
    return conn


def test_due_are_the_ready_clubs_not_run_within_half_a_beat(db, settings):
    settings.CELERY_BEAT_SCHEDULE = {**settings.CELERY_BEAT_SCHEDULE,
                                     "wiflight-reconcile": {"task": "x", "schedule": 900.0}}
    never_run = _connection("never")
    last_tick = _connection("lasttick", run_ago=timedelta(minutes=15))
    _connection("off", enabled=False)
    _connection("nopass", password="")
    _connection("justran", run_ago=timedelta(minutes=2))
    assert connections_to_reconcile() == [never_run.pk, last_tick.pk]


def test_a_club_that_just_ran_is_due_again_after_half_a_beat(db, settings):
    settings.CELERY_BEAT_SCHEDULE = {**settings.CELERY_BEAT_SCHEDULE,
                                     "wiflight-reconcile": {"task": "x", "schedule": 900.0}}
    conn = _connection("soon", run_ago=timedelta(minutes=2))
    assert connections_to_reconcile() == []
    assert connections_to_reconcile(now=timezone.now() + timedelta(minutes=6)) == [conn.pk]
