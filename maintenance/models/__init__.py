"""Maintenance: the meter chain of each aircraft, its inspections and items due, squawks."""

from .items import MaintenanceItem, SignOff
from .meters import MeterReading
from .squawks import Squawk

__all__ = ["MaintenanceItem", "MeterReading", "SignOff", "Squawk"]
