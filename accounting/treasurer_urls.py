"""The treasurer's pages, under /o/<slug>/accounting/. Not namespaced (accounting/urls.py
includes them as they are): every name starts with "accounting_"."""

from django.urls import path

from accounting.views import invoices, month, payments

urlpatterns = [
    path("", month.month_view, name="accounting_month"),
    path("issue-all/", month.issue_all, name="accounting_issue_all"),
    path("invoices.csv", month.invoices_csv, name="accounting_invoices_csv"),
    path("invoice-lines.csv", month.invoice_lines_csv, name="accounting_invoice_lines_csv"),
    path("payments.csv", month.payments_csv, name="accounting_payments_csv"),
    path("flight-logs.csv", month.flight_logs_csv, name="accounting_flight_logs_csv"),
    path("invoices/", invoices.invoice_list, name="accounting_invoices"),
    path("invoices/new-line/", invoices.invoice_line_new, name="accounting_line_new"),
    path("invoices/<int:pk>/", invoices.invoice_detail, name="accounting_invoice"),
    path("invoices/<int:pk>/issue/", invoices.invoice_issue_view, name="accounting_invoice_issue"),
    path("invoices/<int:pk>/void/", invoices.invoice_void_view, name="accounting_invoice_void"),
    path("invoices/<int:pk>/credit/", invoices.invoice_credit_view, name="accounting_invoice_credit"),
    path("invoices/<int:pk>/lines/", invoices.invoice_line_add_view, name="accounting_invoice_line_add"),
    path("invoices/<int:pk>/lines/<int:line_pk>/remove/", invoices.invoice_line_remove_view,
         name="accounting_invoice_line_remove"),
    path("payments/", payments.payment_list, name="accounting_payments"),
    path("payments/new/", payments.payment_new, name="accounting_payment_new"),
    path("payments/<int:pk>/void/", payments.payment_void_view, name="accounting_payment_void"),
]
