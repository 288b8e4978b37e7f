from django.apps import AppConfig


class AccountingConfig(AppConfig):
    name = "accounting"
    verbose_name = "Accounting"

    def ready(self):
        from clubs.changes import subscribe
        from accounting import extensions, subscribers

        extensions.register()

        # A flight is billed from whichever fact comes first, and re-priced by every later one.
        for event in ("booking.completed", "booking.check_in_corrected", "flight.detected", "flight.assigned"):
            subscribe(event, subscribers.bill_booking_of)
