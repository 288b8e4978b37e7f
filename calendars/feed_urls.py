"""The feed addresses calendar apps fetch: no session, the token is the credential."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
