from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularRedocView

from api.resources import (aircraft, balances, bookings, events, expenses, flight_logs, flights, invoices,
                           maintenance, members, organizations, payments, squawks)
from api.unknown import UnknownEndpoint

app_name = "api"

org = "organizations/<slug:slug>/"

urlpatterns = [
    path("schema", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"), name="docs"),
    path("organizations", organizations.OrganizationList.as_view(), name="organizations"),
    path(org[:-1], organizations.OrganizationDetail.as_view(), name="organization"),
    path(org + "members", members.MemberList.as_view(), name="members"),
    path(org + "members/<int:pk>", members.MemberDetail.as_view(), name="member"),
    path(org + "members/<int:pk>/deactivate", members.MemberDeactivate.as_view(), name="member_deactivate"),
    path(org + "members/<int:pk>/reactivate", members.MemberReactivate.as_view(), name="member_reactivate"),
    path(org + "aircraft", aircraft.AircraftList.as_view(), name="aircraft_list"),
    path(org + "aircraft/<int:pk>", aircraft.AircraftDetail.as_view(), name="aircraft"),
    path(org + "aircraft/<int:pk>/status", aircraft.AircraftStatus.as_view(), name="aircraft_status"),
    path(org + "aircraft/<int:pk>/maintenance-items", maintenance.MaintenanceItemList.as_view(),
         name="aircraft_maintenance_items"),
    path(org + "aircraft/<int:pk>/squawks", squawks.AircraftSquawkList.as_view(), name="aircraft_squawks"),
    path(org + "squawks", squawks.SquawkList.as_view(), name="squawks"),
    path(org + "squawks/<int:pk>", squawks.SquawkDetail.as_view(), name="squawk"),
    path(org + "squawks/<int:pk>/clear", squawks.SquawkClear.as_view(), name="squawk_clear"),
    path(org + "events", events.EventList.as_view(), name="events"),
    path(org + "events/<int:pk>", events.EventDetail.as_view(), name="event"),
    path(org + "instructor-availability", events.InstructorAvailabilityList.as_view(), name="instructor_availability"),
    path(org + "bookings", bookings.BookingList.as_view(), name="bookings"),
    path(org + "bookings/<int:pk>", bookings.BookingDetail.as_view(), name="booking"),
    path(org + "bookings/<int:pk>/cancel", bookings.BookingCancel.as_view(), name="booking_cancel"),
    path(org + "bookings/<int:pk>/check-out", bookings.BookingCheckOut.as_view(), name="booking_check_out"),
    path(org + "bookings/<int:pk>/check-in", bookings.BookingCheckIn.as_view(), name="booking_check_in"),
    path(org + "flights", flights.FlightList.as_view(), name="flights"),
    path(org + "flights/<int:pk>", flights.FlightDetail.as_view(), name="flight"),
    path(org + "flight-logs", flight_logs.FlightLogList.as_view(), name="flight_logs"),
    path(org + "flight-logs/<int:pk>", flight_logs.FlightLogDetail.as_view(), name="flight_log"),
    path(org + "members/<int:pk>/balance", balances.MemberBalance.as_view(), name="member_balance"),
    path(org + "invoices", invoices.InvoiceList.as_view(), name="invoices"),
    path(org + "invoices/<int:pk>", invoices.InvoiceDetail.as_view(), name="invoice"),
    path(org + "invoices/<int:pk>/issue", invoices.InvoiceIssue.as_view(), name="invoice_issue"),
    path(org + "invoices/<int:pk>/void", invoices.InvoiceVoid.as_view(), name="invoice_void"),
    path(org + "invoices/<int:pk>/credit", invoices.InvoiceCredit.as_view(), name="invoice_credit"),
    path(org + "payments", payments.PaymentList.as_view(), name="payments"),
    path(org + "payments/<int:pk>", payments.PaymentDetail.as_view(), name="payment"),
    path(org + "payments/<int:pk>/void", payments.PaymentVoid.as_view(), name="payment_void"),
    path(org + "expenses", expenses.ExpenseList.as_view(), name="expenses"),
    path(org + "expenses/<int:pk>", expenses.ExpenseDetail.as_view(), name="expense"),
    path(org + "expenses/<int:pk>/approve", expenses.ExpenseApprove.as_view(), name="expense_approve"),
    path(org + "expenses/<int:pk>/reject", expenses.ExpenseReject.as_view(), name="expense_reject"),
    # Anything else under /api/ is a 404 in the error envelope, with the rate-limit headers.
    re_path(r"^.*$", UnknownEndpoint.as_view(), name="unknown"),
]
