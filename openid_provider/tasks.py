from celery import shared_task

from openid_provider.services import openid_cleanup


@shared_task
def openid_cleanup_task() -> None:
    """Periodic: delete expired association secrets (idempotent)."""
    openid_cleanup()
