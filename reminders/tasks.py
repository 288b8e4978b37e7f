"""The reminders beat (settings.CELERY_BEAT_SCHEDULE["reminders"])."""

from celery import shared_task

from reminders.planner import reminders_plan
from reminders.sender import reminders_send


@shared_task(name="reminders.tasks.remind_all")
def remind_all() -> dict:
    """Plan what is owed, then send what is due. Safe to run twice or at once: planning is
    guarded by the reminder's unique key, sending by the claim."""
    return {"planned": reminders_plan(), "sent": reminders_send()}
