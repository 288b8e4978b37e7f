from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project: settings, URLs, the Celery app, health and metrics, the demo commands."""

    name = "portal"
    verbose_name = "Flightline"
