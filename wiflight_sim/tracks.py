"""Plausible GPS tracks for simulated recorder uploads, and the summary of any track.

A generated flight: taxi out, run-up, takeoff roll, climb, circuits (local) or a straight
leg (cross-country), descent, landing roll, taxi in. One point every STEP seconds with the
Wi-Flight point attributes: t (s from start), lat, lon, alt (m MSL), agl (m), gs (m/s),
vs (m/s), head (radians true), az (vertical load, g), rpm.
"""

import math
import random
from dataclasses import dataclass

from wiflight_sim.airports import Airport, bearing_rad, distance_m, nearest, offset

STEP = 4
MIN_DURATION = 420  # seconds: taxi, a circuit and a landing need at least this long
ROLL = 30  # seconds of takeoff or landing roll
ROLL_DISTANCE = 420.0  # metres: 0 to about 28 m/s in ROLL seconds
CIRCUIT_SPEED = 45.0  # m/s (about 90 kt) in the pattern
CRUISE_SPEED = 55.0  # m/s (about 105 kt)
MAX_CRUISE_SPEED = 75.0  # m/s (about 145 kt): faster than a club single would fly
FIELDS = ("t", "lat", "lon", "alt", "agl", "gs", "vs", "head", "az", "rpm")


class TrackError(ValueError):
    pass


@dataclass
class Phases:
    taxi_out: int
    takeoff: int
    landing: int
    length: int


def _phases(duration: int) -> Phases:
    taxi_out = min(300, int(duration * 0.1))
    taxi_in = min(240, int(duration * 0.08))
    return Phases(taxi_out=taxi_out, takeoff=taxi_out + 60, landing=duration - taxi_in - ROLL, length=duration)


def _runway_ends(airport: Airport) -> tuple[tuple[float, float], tuple[float, float]]:
    h = math.radians(airport.runway_heading)
    start = offset(airport.lat, airport.lon, -600 * math.cos(h), -600 * math.sin(h))
    end = offset(airport.lat, airport.lon, 600 * math.cos(h), 600 * math.sin(h))
    return start, end


def _circuit(airport: Airport) -> list[tuple[float, float]]:
    """A left-hand rectangular pattern around the runway: upwind, crosswind, downwind, base."""
    h = math.radians(airport.runway_heading)
    along, left = (math.cos(h), math.sin(h)), (math.cos(h - math.pi / 2), math.sin(h - math.pi / 2))

    def at(a: float, side: float) -> tuple[float, float]:
        return offset(airport.lat, airport.lon, a * along[0] + side * left[0], a * along[1] + side * left[1])

    return [at(2500, 0), at(2500, 1600), at(-2500, 1600), at(-2500, 0)]


def _along(path: list[tuple[float, float]], fraction: float) -> tuple[float, float]:
    legs = [distance_m(*a, *b) for a, b in zip(path, path[1:])]
    total = sum(legs) or 1.0
    remaining = min(max(fraction, 0.0), 1.0) * total
    for (a, b), leg in zip(zip(path, path[1:]), legs):
        if remaining <= leg or leg == 0:
            f = remaining / leg if leg else 0.0
            return a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
        remaining -= leg
    return path[-1]


def _roll_point(runway: tuple[tuple[float, float], tuple[float, float]], reverse: bool = False) -> tuple[float, float]:
    """Where a club single lifts off from (or stops after) the threshold: ROLL_DISTANCE along."""
    start, end = runway
    f = ROLL_DISTANCE / distance_m(*start, *end)
    return start[0] + (end[0] - start[0]) * f, start[1] + (end[1] - start[1]) * f


def _airborne_path(dep: Airport, arr: Airport, airtime: int) -> list[tuple[float, float]]:
    lift_off, threshold = _roll_point(_runway_ends(dep)), _runway_ends(arr)[0]
    if dep.code == arr.code:
        circuit = _circuit(dep)
        lap = sum(distance_m(*a, *b) for a, b in zip(circuit, circuit[1:] + circuit[:1]))
        laps = max(1, round(airtime * CIRCUIT_SPEED / lap))
        return [lift_off, *(circuit * laps), threshold]
    leg = distance_m(*lift_off, *threshold)
    if leg / max(airtime, 1) > MAX_CRUISE_SPEED:
        raise TrackError(f"{dep.code} to {arr.code} ({leg / 1000:.0f} km) cannot be flown in {airtime} s of air time")
    wanted = airtime * CRUISE_SPEED
    if wanted <= leg:
        return [lift_off, threshold]
    # More time than the straight leg needs: fly a dog-leg of the right length instead of
    # crawling along the straight line at an unflyable speed.
    side = math.sqrt((wanted / 2) ** 2 - (leg / 2) ** 2)
    mid_lat, mid_lon = (lift_off[0] + threshold[0]) / 2, (lift_off[1] + threshold[1]) / 2
    course = bearing_rad(*lift_off, *threshold)
    return [lift_off, offset(mid_lat, mid_lon, side * math.cos(course - math.pi / 2), side * math.sin(course - math.pi / 2)), threshold]


def generate_track(*, departure: Airport, arrival: Airport, duration: int, seed: int) -> list[list[float]]:
    if duration < MIN_DURATION:
        raise TrackError(f"duration must be at least {MIN_DURATION} seconds")
    rng = random.Random(seed)
    phases = _phases(duration)
    dep_runway, arr_runway = _runway_ends(departure), _runway_ends(arrival)
    ground = {
        "out": [offset(dep_runway[0][0], dep_runway[0][1], 250, 150), dep_runway[0]],
        "takeoff_roll": [dep_runway[0], _roll_point(dep_runway)],
        "landing_roll": [arr_runway[0], _roll_point(arr_runway)],
        "in": [_roll_point(arr_runway), offset(arr_runway[1][0], arr_runway[1][1], 250, 150)],
    }
    path = _airborne_path(departure, arrival, phases.landing - phases.takeoff)
    cruise = max(departure.elevation, arrival.elevation) + (300 if departure.code == arrival.code else 1200)
    positions = [
        (t, *_position(t, phases, path, ground, departure, arrival, cruise)) for t in range(0, duration + 1, STEP)
    ]
    return _with_derived(positions, rng, phases)


def _position(t, phases, path, ground, dep, arr, cruise):
    """(lat, lon, alt, ground elevation, rpm) at time t."""
    if t <= phases.taxi_out:
        lat, lon = _along(ground["out"], t / max(phases.taxi_out, 1))
        return lat, lon, dep.elevation, dep.elevation, 1100
    if t < phases.takeoff - ROLL:  # run-up at the hold
        start = ground["takeoff_roll"][0]
        return start[0], start[1], dep.elevation, dep.elevation, 1800
    if t < phases.takeoff:
        lat, lon = _along(ground["takeoff_roll"], ((t - phases.takeoff + ROLL) / ROLL) ** 2)
        return lat, lon, dep.elevation, dep.elevation, 2600
    if t <= phases.landing:
        airtime = phases.landing - phases.takeoff
        f = (t - phases.takeoff) / airtime
        lat, lon = _along(path, f)
        ground_elevation = dep.elevation + (arr.elevation - dep.elevation) * f
        height = cruise - ground_elevation
        climb, descent = min(height / 3.5, airtime * 0.3), min(height / 2.5, airtime * 0.35)
        up, down = (t - phases.takeoff) / climb, (phases.landing - t) / descent
        alt = ground_elevation + (cruise - ground_elevation) * max(0.0, min(1.0, up, down))
        rpm = 2500 if up < 1 else (1700 if down < 1 else 2350)
        return lat, lon, alt, ground_elevation, rpm
    if t <= phases.landing + ROLL:
        f = (t - phases.landing) / ROLL
        lat, lon = _along(ground["landing_roll"], 1 - (1 - f) ** 2)
        return lat, lon, arr.elevation, arr.elevation, 1000
    f = (t - phases.landing - ROLL) / max(phases.length - phases.landing - ROLL, 1)
    lat, lon = _along(ground["in"], f)
    return lat, lon, arr.elevation, arr.elevation, 1000 if t < phases.length else 0


def _with_derived(positions, rng: random.Random, phases: Phases) -> list[list[float]]:
    points, previous_head = [], 0.0
    for i, (t, lat, lon, alt, ground, rpm) in enumerate(positions):
        nxt = positions[min(i + 1, len(positions) - 1)]
        prv = positions[max(i - 1, 0)]
        dt = max(nxt[0] - prv[0], 1)
        gs = distance_m(prv[1], prv[2], nxt[1], nxt[2]) / dt
        head = bearing_rad(prv[1], prv[2], nxt[1], nxt[2]) if gs > 0.5 else previous_head
        previous_head = head
        vs = (nxt[3] - prv[3]) / dt
        airborne = phases.takeoff <= t <= phases.landing
        az = 1.0 + (rng.gauss(0, 0.05) if airborne else rng.gauss(0, 0.01))
        rpm_noise = rng.uniform(-25, 25) if rpm else 0
        points.append([t, lat, lon, alt, max(alt - ground, 0.0), gs, vs, head, az, max(rpm + rpm_noise, 0)])
    return points


def normalize_track(raw: list) -> list[list[float]]:
    """Accept a given track: dicts or lists with at least t, lat, lon, alt; derive the rest."""
    points = []
    for item in raw:
        if isinstance(item, dict):
            values = [item.get(name) for name in FIELDS]
        elif isinstance(item, (list, tuple)):
            values = list(item) + [None] * (len(FIELDS) - len(item))
        else:
            raise TrackError("each track point must be an object or a list")
        if any(values[i] is None for i in range(4)):
            raise TrackError("each track point needs t, lat, lon and alt")
        try:
            points.append([None if v is None else float(v) for v in values[: len(FIELDS)]])
        except (TypeError, ValueError) as exc:
            raise TrackError("track values must be numbers") from exc
    points.sort(key=lambda p: p[0])
    if len(points) < 2 or points[0][0] != 0:
        raise TrackError("a track needs at least two points, the first at t=0")
    return _fill(points)


def _fill(points: list[list]) -> list[list[float]]:
    first = nearest(points[0][1], points[0][2], within_m=20000)
    ground = first.elevation if first else min(p[3] for p in points)
    filled = []
    for i, p in enumerate(points):
        prv, nxt = points[max(i - 1, 0)], points[min(i + 1, len(points) - 1)]
        dt = max(nxt[0] - prv[0], 1)
        defaults = [
            p[3] - ground,
            distance_m(prv[1], prv[2], nxt[1], nxt[2]) / dt,
            (nxt[3] - prv[3]) / dt,
            bearing_rad(prv[1], prv[2], nxt[1], nxt[2]),
            1.0,
            0.0,
        ]
        filled.append(p[:4] + [p[4 + k] if p[4 + k] is not None else defaults[k] for k in range(6)])
    return filled


@dataclass
class TrackSummary:
    length: int
    airtime: int
    takeoff: int | None
    landing: int | None
    departure: str
    arrival: str
    headline: str
    max_altitude: float
    min_altitude: float
    max_agl: float
    max_groundspeed: float
    max_climb: float
    max_descent: float


AIRBORNE_AGL = 15.0  # metres above ground that count as flying (GPS noise stays below)


def _place(lat: float, lon: float) -> str:
    airport = nearest(lat, lon)
    return airport.code if airport else f"{lat:.3f},{lon:.3f}"


def summarize(points: list[list[float]]) -> TrackSummary:
    airborne = [p for p in points if p[4] > AIRBORNE_AGL]
    takeoff = int(airborne[0][0]) if airborne else None
    landing = int(airborne[-1][0]) if airborne else None
    departure, arrival = _place(points[0][1], points[0][2]), _place(points[-1][1], points[-1][2])
    headline = f"local at {departure}" if departure == arrival else f"{departure} to {arrival}"
    return TrackSummary(
        length=int(points[-1][0]),
        airtime=(landing - takeoff) if airborne else 0,
        takeoff=takeoff,
        landing=landing,
        departure=departure,
        arrival=arrival,
        headline=headline if airborne else f"ground run at {departure}",
        max_altitude=max(p[3] for p in points),
        min_altitude=min(p[3] for p in points),
        max_agl=max(p[4] for p in points),
        max_groundspeed=max(p[5] for p in points),
        max_climb=max(p[6] for p in points),
        max_descent=-min(p[6] for p in points),
    )
