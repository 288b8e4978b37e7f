"""Flights from any source (Wi-Flight today), their events, crew and tracks; the flight log."""

from .flights import Flight, FlightCrew, FlightEvent, FlightTrack
from .logbook import LogbookEntry

__all__ = ["Flight", "FlightCrew", "FlightEvent", "FlightTrack", "LogbookEntry"]
