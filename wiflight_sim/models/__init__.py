from wiflight_sim.models.accounts import Fleet, NameDomain, SimSession, SimUser, UserOpenID
from wiflight_sim.models.control import FaultState, RequestLog
from wiflight_sim.models.flights import Aircraft, Flight, FlightMatch
from wiflight_sim.models.notifications import Notification, NotifyProfile
from wiflight_sim.models.openid_store import OpenIDAssociation, OpenIDNonce
from wiflight_sim.models.reservations import Reservation

__all__ = [
    "Aircraft",
    "FaultState",
    "Fleet",
    "Flight",
    "FlightMatch",
    "NameDomain",
    "Notification",
    "NotifyProfile",
    "OpenIDAssociation",
    "OpenIDNonce",
    "RequestLog",
    "Reservation",
    "SimSession",
    "SimUser",
    "UserOpenID",
]
