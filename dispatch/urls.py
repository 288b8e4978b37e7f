from django.urls import path

from dispatch.views import availability, board, booking_lists, bookings, dispatching, fleet

app_name = "dispatch"

urlpatterns = [
    path("board/", board.board, name="board"),
    path("availability/", availability.availability, name="availability"),
    path("availability/<int:pk>/remove/", availability.availability_remove_view, name="availability_remove"),
    path("bookings/", booking_lists.booking_list, name="booking_list"),
    path("bookings/mine/", booking_lists.my_bookings, name="my_bookings"),
    path("bookings/export.csv", booking_lists.booking_list_csv, name="booking_list_csv"),
    path("bookings/new/", bookings.booking_new, name="booking_new"),
    path("bookings/<int:pk>/", bookings.booking_detail, name="booking"),
    path("bookings/<int:pk>/edit/", bookings.booking_edit, name="booking_edit"),
    path("bookings/<int:pk>/cancel/", bookings.booking_cancel_view, name="booking_cancel"),
    path("bookings/<int:pk>/check-out/", dispatching.check_out, name="check_out"),
    path("bookings/<int:pk>/check-in/", dispatching.check_in, name="check_in"),
    path("bookings/<int:pk>/check-in/correct/", dispatching.check_in_correct, name="check_in_correct"),
    path("walk-up/", dispatching.walkup, name="walkup"),
    path("fleet/", fleet.fleet, name="fleet"),
    path("fleet/new/", fleet.aircraft_new, name="aircraft_new"),
    path("fleet/<int:pk>/edit/", fleet.aircraft_edit, name="aircraft_edit"),
    path("fleet/<int:pk>/status/", fleet.aircraft_status, name="aircraft_status"),
    path("fleet/<int:pk>/", fleet.aircraft_detail, name="aircraft"),
    path("fleet/<int:pk>/retire/", fleet.aircraft_retire_view, name="aircraft_retire"),
    path("fleet/<int:pk>/reinstate/", fleet.aircraft_reinstate_view, name="aircraft_reinstate"),
    path("fleet/<int:pk>/meters/", fleet.aircraft_meters, name="aircraft_meters"),
]
