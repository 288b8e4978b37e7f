from django.urls import path

from integrations.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoints, name="endpoints"),
    path("<int:pk>/", views.endpoint_page, name="endpoint"),
    path("<int:pk>/delete/", views.endpoint_delete_view, name="delete"),
    path("<int:pk>/rotate/", views.secret_rotate, name="rotate"),
    path("<int:pk>/rotation/end/", views.rotation_end, name="rotation_end"),
    path("<int:pk>/messages/<int:message_pk>/send-again/", views.send_again, name="send_again"),
]
