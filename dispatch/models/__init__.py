"""The fleet, bookings and their crew, and check-out/check-in records."""

from .bookings import Booking, BookingCrew, Dispatch, TsTzRange
from .fleet import Aircraft

__all__ = ["Aircraft", "Booking", "BookingCrew", "Dispatch", "TsTzRange"]
