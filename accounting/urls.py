"""The club's money pages: the treasurer's (accounting/) and each member's own (my-account/)."""

from django.urls import include, path

urlpatterns = [
    path("accounting/terms/", include("accounting.terms_urls")),
    path("accounting/", include("accounting.treasurer_urls")),
    path("my-account/", include("accounting.member_urls")),
]
