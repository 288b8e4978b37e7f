"""The feed addresses calendar apps fetch: no session, the token is the credential."""

from django.urls import path

from calendars import feed_views

urlpatterns = [
    path("<str:token>.ics", feed_views.feed, name="calendar_feed"),
]
