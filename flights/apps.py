from django.apps import AppConfig


class FlightsConfig(AppConfig):
    name = "flights"
    verbose_name = "Flights and the flight log"

    def ready(self) -> None:
        from clubs.changes import subscribe
        from flights import extensions
        from flights.subscribers import booking_completed

        # Check-in gives the flying crew their flight-log entries, in the check-in's transaction.
        subscribe("booking.completed", booking_completed)
        extensions.register()
