from django.urls import path

from openid_provider.views import discovery, endpoint, profile

app_name = "openid_provider"

urlpatterns = [
    path("endpoint/", endpoint.endpoint, name="endpoint"),
    path("resume/", endpoint.resume, name="resume"),
    path("decide/", endpoint.decide_view, name="decide"),
    path("xrds/", discovery.server_xrds, name="server_xrds"),
    path("id/<slug:slug>/", discovery.identity_page, name="identity"),
    path("id/<slug:slug>/xrds/", discovery.identity_xrds, name="identity_xrds"),
    path("profile/", profile.profile, name="profile"),
    path("profile/realms/<int:pk>/revoke/", profile.trusted_realm_revoke, name="trusted_realm_revoke"),
]
