"""The fleet, bookings and their crew, and check-out/check-in records."""

from .bookings import Booking, BookingCrew, Dispatch, InstructorAvailability, SquawkSeverity, TsTzRange
from .fleet import Aircraft

__all__ = ["Aircraft", "Booking", "BookingCrew", "Dispatch", "InstructorAvailability", "SquawkSeverity", "TsTzRange"]
