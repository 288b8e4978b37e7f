from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from api.pages import keys as api_key_pages
from api.pages import oauth as oauth_pages
from oauth2_provider import views as oauth_views
from api.unknown import UnknownEndpoint
from integrations.wiflight import receiver

from clubs.sign_in import django_admin_urls
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
    path("settings/api-keys/", api_key_pages.api_keys, name="api_keys"),
    path("settings/api-keys/<int:pk>/revoke/", api_key_pages.api_key_revoke_view, name="api_key_revoke"),
    path("settings/oauth-apps/", oauth_pages.oauth_apps, name="oauth_apps"),
    path("settings/oauth-apps/<int:pk>/delete/", oauth_pages.oauth_app_delete_view, name="oauth_app_delete"),
    path("apps/", oauth_pages.authorized_apps, name="authorized_apps"),
    path("apps/<int:pk>/revoke/", oauth_pages.authorized_app_revoke, name="authorized_app_revoke"),
    path("wiflight/", include("integrations.wiflight.urls")),
    path("webhooks/", include("integrations.webhooks.urls")),
    path("", include("dispatch.urls")),
    path("", include("flights.urls")),
    path("", include("accounting.urls")),
    path("maintenance/", include("maintenance.urls")),
    path("rules/", include("booking_rules.urls")),
    path("calendar/", include("calendars.urls")),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("api.urls")),
    path("oauth/", include(([
        path("authorize/", oauth_pages.ClubAuthorizationView.as_view(), name="authorize"),
        path("token/", oauth_views.TokenView.as_view(), name="token"),
        path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    ], "oauth2_provider"))),
    re_path(r"^api/", UnknownEndpoint.as_view()),
    path("openid/", include("openid_provider.urls")),
    # Machine-to-machine: authenticated by the club's notification secret, not a session, so
    # CSRF does not apply (the OpenID endpoint is the only other exempt URL).
    path("wiflight/notify/<slug:slug>/", csrf_exempt(receiver.notify), name="wiflight_notify"),
    path("invitations/<str:token>/", invitations.invitation_accept_view, name="invitation_accept"),
    # Calendar apps fetch these with no session: the token in the address is the credential.
    path("feeds/", include("calendars.feed_urls")),
    path("o/<slug:slug>/", include(club_patterns)),
    *django_admin_urls(),  # behind the site sign-in; production only with DJANGO_ADMIN_ENABLED
]

