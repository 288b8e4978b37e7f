from django.urls import path

from calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/cancel/", views.event_cancel_view, name="event_cancel"),
    path("feeds/", views.feeds, name="feeds"),
    path("feeds/change/", views.feed_action, name="feed_action"),
]
