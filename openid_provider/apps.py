from django.apps import AppConfig


class OpenIDProviderConfig(AppConfig):
    name = "openid_provider"
    verbose_name = "OpenID 2.0 provider"
