from django.apps import AppConfig


class BookingRulesConfig(AppConfig):
    name = "booking_rules"
    verbose_name = "Booking rules"

    def ready(self):
        from booking_rules import checks
        from dispatch.services.checks import register_booking_checker

        register_booking_checker(checks.club_rules)
