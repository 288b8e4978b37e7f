from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "maintenance"
    verbose_name = "Maintenance"

    def ready(self):
        from maintenance import extensions, subscribers

        subscribers.register()
        extensions.register()
