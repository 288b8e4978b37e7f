"""The playback pictures: plan view and altitude profile as SVG polylines (no map tiles)."""

import math
from dataclasses import dataclass

WIDTH, PLAN_HEIGHT, PROFILE_HEIGHT, MARGIN = 640, 480, 200, 20


@dataclass
class Picture:
    width: int
    height: int
    points: str  # "x,y x,y ..." for an SVG polyline
    first: tuple[float, float]
    last: tuple[float, float]
    label_min: str
    label_max: str


def _scale(values: list[float], size: float) -> tuple[float, float]:
    low, high = min(values), max(values)
    return low, (size - 2 * MARGIN) / ((high - low) or 1.0)


def plan_view(track: list[list[float]]) -> Picture:
    # Equirectangular around the track's mean latitude: fine over a few hundred kilometres.
    k = math.cos(math.radians(sum(p[1] for p in track) / len(track)))
    xs, ys = [p[2] * k for p in track], [p[1] for p in track]
    x0, y0 = min(xs), min(ys)
    span = max(max(xs) - x0, max(ys) - y0) or 1.0
    s = (min(WIDTH, PLAN_HEIGHT) - 2 * MARGIN) / span
    coords = [(MARGIN + (x - x0) * s, PLAN_HEIGHT - MARGIN - (y - y0) * s) for x, y in zip(xs, ys)]
    return Picture(
        WIDTH, PLAN_HEIGHT, " ".join(f"{x:.1f},{y:.1f}" for x, y in coords), coords[0], coords[-1],
        f"{min(ys):.3f}N", f"{max(ys):.3f}N",
    )


def altitude_profile(track: list[list[float]]) -> Picture:
    t0, ts = _scale([p[0] for p in track], WIDTH)
    a0, alts = _scale([p[3] for p in track], PROFILE_HEIGHT)
    coords = [(MARGIN + (p[0] - t0) * ts, PROFILE_HEIGHT - MARGIN - (p[3] - a0) * alts) for p in track]
    return Picture(
        WIDTH, PROFILE_HEIGHT, " ".join(f"{x:.1f},{y:.1f}" for x, y in coords), coords[0], coords[-1],
        f"{min(p[3] for p in track):.0f} m", f"{max(p[3] for p in track):.0f} m",
    )
