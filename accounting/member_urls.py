"""Each member's money pages, under /o/<slug>/my-account/; member/<pk>/ for those who read
every account. Names start with "account_"."""

from django.urls import path

from accounting.views import account

urlpatterns = [
    path("", account.account_home, name="account_home"),
    path("statement/", account.account_statement, name="account_statement"),
    path("statement.pdf", account.account_statement_pdf, name="account_statement_pdf"),
    path("invoices/<int:pk>/", account.account_invoice, name="account_invoice"),
    path("expenses/new/", account.account_expense_new, name="account_expense_new"),
    path("expenses/review/", account.account_expense_review, name="account_expense_review"),
    path("expenses/<int:pk>/decide/", account.account_expense_decide, name="account_expense_decide"),
    path("member/<int:member_pk>/", account.account_member, name="account_member"),
    path("member/<int:member_pk>/statement/", account.account_member_statement, name="account_member_statement"),
    path("member/<int:member_pk>/statement.pdf", account.account_member_statement_pdf,
         name="account_member_statement_pdf"),
    path("member/<int:member_pk>/expenses/new/", account.account_member_expense_new,
         name="account_member_expense_new"),
]
