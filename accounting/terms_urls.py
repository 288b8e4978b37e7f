"""The billing terms pages, under /o/<slug>/accounting/terms/ (treasurer and club admins)."""

from django.urls import path

from accounting.views import terms

urlpatterns = [
    path("", terms.terms_home, name="accounting_terms"),
    path("aircraft/<int:pk>/", terms.terms_aircraft, name="accounting_terms_aircraft"),
    path("instructors/<int:member_pk>/", terms.terms_instructor, name="accounting_terms_instructor"),
    path("accounts/", terms.terms_accounts, name="accounting_terms_accounts"),
    path("accounts/<int:member_pk>/", terms.terms_account, name="accounting_terms_account"),
]
