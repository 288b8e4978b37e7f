from django.apps import AppConfig


class WiFlightConfig(AppConfig):
    name = "portal.integrations.wiflight"
    label = "wiflight"
    verbose_name = "Wi-Flight"
