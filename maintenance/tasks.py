"""The maintenance beat (settings.CELERY_BEAT_SCHEDULE["maintenance-due"])."""

from celery import shared_task

from maintenance.services.grounding import grounding_sync_all


@shared_task(name="maintenance.tasks.check_due_all")
def check_due_all() -> int:
    """Ground what fell overdue by date since the last look (and release what no longer is)."""
    return grounding_sync_all()
