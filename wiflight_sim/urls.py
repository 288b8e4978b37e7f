from django.urls import path

from wiflight_sim.views import aircraft, auth, control, flights, openid, playback, reservations

urlpatterns = [
    path("auth/login", auth.login),
    path("auth/logout", auth.logout),
    path("auth/openid_enter", openid.openid_enter),
    path("auth/openid_return", openid.openid_return),
    path("a/reservation/<str:name>", reservations.reservation),
    path("a/flight/", flights.flight_index),
    path("a/flight/<int:flight_id>/", flights.flight_detail),
    path("a/flight/<int:flight_id>", flights.flight_detail),
    path("a/flight/<int:flight_id>/track", flights.flight_track),
    path("a/flight/<int:flight_id>/google_earth_view", flights.flight_kml),
    path("a/aircraft/", aircraft.aircraft_index),
    path("a/aircraft/<int:aircraft_id>/", aircraft.aircraft_detail),
    path("a/aircraft/<int:aircraft_id>", aircraft.aircraft_detail),
    path("flightview/<int:flight_id>", playback.flightview),
    path("sim/health", control.health),
    path("sim/faults", control.faults),
    path("sim/stats", control.stats),
    path("sim/requests", control.requests_log),
    path("sim/reset", control.reset),
    path("sim/flights", control.flights),
    path("sim/notifications", control.notifications),
    path("sim/notifications/deliver", control.notifications_deliver),
]
