from django.urls import path

from integrations.wiflight import flight_views, views

app_name = "wiflight"

urlpatterns = [
    path("", views.connection_settings, name="settings"),
    path("test/", views.test_connection, name="test_connection"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:pk>/retry/", views.retry, name="retry"),
    path("notify-secret/", flight_views.notify_secret, name="notify_secret"),
    path("notify-secret/end-rotation/", flight_views.notify_rotation_finish, name="notify_rotation_end"),
    path("flights/", flight_views.flights_admin, name="flights"),
    path("notifications/<int:pk>/retry/", flight_views.notification_retry_view, name="notification_retry"),
]
