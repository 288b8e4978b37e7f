from django.apps import AppConfig


class WiFlightSimConfig(AppConfig):
    name = "wiflight_sim"
    label = "wiflight_sim"
    verbose_name = "Wi-Flight simulator"
    default_auto_field = "django.db.models.BigAutoField"
