from .connection import WiFlightConnection, default_match_domain
from .flights import Flight, FlightCrew, FlightEvent, FlightTrack
from .notifications import FlightNotification, ReconciliationRun
from .sync import ReservationSync

__all__ = ["Flight", "FlightCrew", "FlightEvent", "FlightNotification", "FlightTrack", "ReconciliationRun",
           "ReservationSync", "WiFlightConnection", "default_match_domain"]
