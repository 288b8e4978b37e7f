"""The fleet, bookings and their crew, check-out/check-in records, and the flight log."""

from .bookings import Booking, BookingCrew, Dispatch, TsTzRange
from .fleet import Aircraft
from .logbook import LogbookEntry

__all__ = ["Aircraft", "Booking", "BookingCrew", "Dispatch", "LogbookEntry", "TsTzRange"]
