from django.urls import path

from maintenance.views import aircraft, items, squawks

app_name = "maintenance"

urlpatterns = [
    path("aircraft/<int:pk>/", aircraft.aircraft, name="aircraft"),
    path("aircraft/<int:pk>/items/new/", items.item_new, name="item_new"),
    path("aircraft/<int:pk>/squawks/new/", squawks.squawk_new, name="squawk_new"),
    path("items/<int:pk>/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/remove/", items.item_remove_view, name="item_remove"),
    path("items/<int:pk>/sign-off/", items.item_sign_off_view, name="item_sign_off"),
    path("squawks/", squawks.squawk_list, name="squawks"),
    path("squawks/<int:pk>/", squawks.squawk_detail, name="squawk"),
    path("squawks/<int:pk>/clear/", squawks.squawk_clear_view, name="squawk_clear"),
    path("squawks/<int:pk>/rate/", squawks.squawk_rate_view, name="squawk_rate"),
    path("squawks/<int:pk>/photo/", squawks.squawk_photo, name="squawk_photo"),
]
