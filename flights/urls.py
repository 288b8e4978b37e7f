from django.urls import path

from flights.views import flights, unassigned

app_name = "flights"

urlpatterns = [
    path("fleet/<int:pk>/flights/", flights.aircraft_flights, name="aircraft_flights"),
    path("flights/", flights.flight_list, name="flight_list"),
    path("flights/mine/", flights.my_flights, name="my_flights"),
    path("flights/unassigned/", unassigned.unassigned_flights, name="unassigned"),
    path("flights/<int:pk>/", flights.flight_detail, name="flight"),
    path("flights/<int:pk>/assign/", unassigned.flight_assign_view, name="assign"),
    path("flights/<int:pk>/move/", unassigned.flight_move, name="move"),
    path("flights/<int:pk>/track.kml", flights.flight_kml, name="flight_kml"),
    path("logbook/<int:pk>/", flights.logbook_entry_edit, name="logbook_entry"),
    path("logbook/<int:pk>/billed/", flights.logbook_entry_billed, name="logbook_billed"),
]
