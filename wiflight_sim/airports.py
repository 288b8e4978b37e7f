"""A few airports around the demo fleet's base (lat, lon, elevation m, runway heading deg)."""

import math
from typing import NamedTuple


class Airport(NamedTuple):
    code: str
    lat: float
    lon: float
    elevation: float
    runway_heading: float


AIRPORTS = {
    a.code: a
    for a in [
        Airport("CYRO", 45.4603, -75.6461, 57.0, 90.0),
        Airport("CYOW", 45.3225, -75.6692, 114.0, 140.0),
        Airport("CYND", 45.5217, -75.5636, 64.0, 90.0),
        Airport("CYSH", 44.9458, -75.9406, 126.0, 60.0),
        Airport("CNP3", 45.4136, -76.3658, 109.0, 100.0),
        Airport("CYPQ", 44.2300, -78.3633, 191.0, 90.0),
        Airport("CYMX", 45.6797, -74.0387, 82.0, 60.0),
        Airport("CYHU", 45.5175, -73.4169, 27.0, 60.0),
        Airport("KSWF", 41.5041, -74.1048, 150.0, 90.0),
    ]
}

EARTH_RADIUS = 6_371_000.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(math.sqrt(a))


def bearing_rad(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.atan2(y, x) % (2 * math.pi)


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    dlat = math.degrees(north_m / EARTH_RADIUS)
    dlon = math.degrees(east_m / (EARTH_RADIUS * math.cos(math.radians(lat))))
    return lat + dlat, lon + dlon


def nearest(lat: float, lon: float, within_m: float = 5000.0) -> Airport | None:
    best = min(AIRPORTS.values(), key=lambda a: distance_m(lat, lon, a.lat, a.lon))
    return best if distance_m(lat, lon, best.lat, best.lon) <= within_m else None
