from django.urls import path

from booking_rules import views

app_name = "booking_rules"

urlpatterns = [
    path("", views.rules_settings, name="settings"),
    path("members/<int:pk>/", views.member_qualifications, name="member"),
    path("members/<int:pk>/documents/", views.member_documents, name="member_documents"),
    path("members/<int:pk>/reminders/", views.member_reminders, name="member_reminders"),
    path("members/<int:pk>/checkouts/", views.checkout_new, name="checkout_new"),
    path("members/<int:pk>/checkouts/<int:checkout_pk>/revoke/", views.checkout_remove, name="checkout_revoke"),
    path("members/<int:pk>/endorsements/", views.endorsement_new, name="endorsement_new"),
    path("members/<int:pk>/endorsements/<int:endorsement_pk>/revoke/", views.endorsement_remove,
         name="endorsement_revoke"),
]
