from django.urls import path

from portal.integrations.wiflight import views

app_name = "wiflight"

urlpatterns = [
    path("", views.connection_settings, name="settings"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:pk>/retry/", views.retry, name="retry"),
]
