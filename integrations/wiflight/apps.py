from django.apps import AppConfig


class WiFlightConfig(AppConfig):
    name = "integrations.wiflight"
    label = "wiflight"
    verbose_name = "Wi-Flight"

    def ready(self) -> None:
        from integrations.wiflight import subscribers

        subscribers.register()
