"""The track as pictures: plan view and altitude profile as SVG polylines (the plan is the
map's fallback), and the thinned path the map draws. Pure functions over the stored points
(xml.TRACK_FIELDS order: t, lat, lon, alt, agl, gs, ...; metres and m/s)."""

import math
from dataclasses import dataclass

PLAN_W, PLAN_H, PROFILE_W, PROFILE_H, PAD = 600, 400, 600, 160, 10


@dataclass(frozen=True)
class TrackPicture:
    plan: str  # "x,y x,y ..." for <polyline points>
    profile: str
    start: tuple[float, float] | None
    end: tuple[float, float] | None
    max_alt: float  # metres
    min_alt: float
    max_speed: float  # m/s over the ground
    plan_w: int = PLAN_W
    plan_h: int = PLAN_H
    profile_w: int = PROFILE_W
    profile_h: int = PROFILE_H


def _thinned(points: list[list[float]], max_vertices: int) -> list[list[float]]:
    step = max(1, len(points) // max_vertices)
    return points[::step] + ([points[-1]] if (len(points) - 1) % step else [])


def track_path(points: list[list[float]], max_vertices: int = 1500) -> list[list[float]]:
    """[[lat, lon], ...] for the map's polyline; [] when there is nothing to draw."""
    if len(points) < 2:
        return []
    return [[round(p[1], 6), round(p[2], 6)] for p in _thinned(points, max_vertices)]


def track_picture(points: list[list[float]], max_vertices: int = 1500) -> TrackPicture | None:
    if len(points) < 2:
        return None
    pts = _thinned(points, max_vertices)
    lat0 = sum(p[1] for p in pts) / len(pts)
    xs = [p[2] * math.cos(math.radians(lat0)) for p in pts]  # equirectangular, true at mid-latitude
    ys = [p[1] for p in pts]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    scale = min((PLAN_W - 2 * PAD), (PLAN_H - 2 * PAD)) / span
    ox = PAD + ((PLAN_W - 2 * PAD) - (max(xs) - min(xs)) * scale) / 2
    oy = PAD + ((PLAN_H - 2 * PAD) - (max(ys) - min(ys)) * scale) / 2
    plan_xy = [(ox + (x - min(xs)) * scale, PLAN_H - (oy + (y - min(ys)) * scale)) for x, y in zip(xs, ys)]
    alts = [p[3] for p in pts]
    t0, t1 = pts[0][0], max(pts[-1][0], pts[0][0] + 1)
    a0, a1 = min(alts), max(max(alts), min(alts) + 1)
    profile_xy = [(PAD + (p[0] - t0) / (t1 - t0) * (PROFILE_W - 2 * PAD),
                   PROFILE_H - PAD - (p[3] - a0) / (a1 - a0) * (PROFILE_H - 2 * PAD)) for p in pts]
    fmt = lambda xy: " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)  # noqa: E731
    return TrackPicture(plan=fmt(plan_xy), profile=fmt(profile_xy), start=plan_xy[0], end=plan_xy[-1],
                        max_alt=max(alts), min_alt=min(alts),
                        max_speed=max((p[5] for p in points if len(p) > 5), default=0.0))
