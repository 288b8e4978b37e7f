from .connection import WiFlightConnection, default_match_domain
from .notifications import FlightNotification, ReconciliationRun
from .sync import ReservationSync

__all__ = ["FlightNotification", "ReconciliationRun", "ReservationSync", "WiFlightConnection", "default_match_domain"]
