from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from integrations.wiflight import receiver

from clubs.views import club, invitations, members
from portal.views import health, home, metrics

club_patterns = [
    path("", home.club_overview, name="club_overview"),
    path("members/", members.member_list, name="member_list"),
    path("members/invite/", members.member_invite_view, name="member_invite"),
    path("members/<int:pk>/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/activation/", members.member_activation, name="member_activation"),
    path("members/<int:pk>/reinvite/", members.member_reinvite, name="member_reinvite"),
    path("audit/", members.audit_log, name="audit_log"),
    path("settings/", club.club_settings, name="club_settings"),
    path("wiflight/", include("integrations.wiflight.urls")),
    path("", include("dispatch.urls")),
    path("", include("flights.urls")),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("accounts/", include("allauth.urls")),
    path("openid/", include("openid_provider.urls")),
    # Machine-to-machine: authenticated by the club's notification secret, not a session, so
    # CSRF does not apply (the OpenID endpoint is the only other exempt URL).
    path("wiflight/notify/<slug:slug>/", csrf_exempt(receiver.notify), name="wiflight_notify"),
    path("invitations/<str:token>/", invitations.invitation_accept_view, name="invitation_accept"),
    path("o/<slug:slug>/", include(club_patterns)),
    path("django-admin/", admin.site.urls),
]

