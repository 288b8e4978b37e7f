from .connection import WiFlightConnection, default_match_domain
from .sync import ReservationSync

__all__ = ["ReservationSync", "WiFlightConnection", "default_match_domain"]
