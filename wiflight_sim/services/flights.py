"""Flights come into existence the way a recorder upload would make them, then get matched."""

import json
from datetime import datetime

from django.conf import settings
from django.db import transaction

from wiflight_sim.airports import AIRPORTS
from wiflight_sim.errors import ApiError
from wiflight_sim.matching import match_flight
from wiflight_sim.models import Aircraft, Flight, FlightMatch
from wiflight_sim.tracks import TrackError, generate_track, normalize_track, summarize


def _airport(code: str | None, fallback: str):
    code = (code or fallback).upper()
    if code not in AIRPORTS:
        raise ApiError(400, "Unknown airport", f"Unknown airport {code}; known: {', '.join(sorted(AIRPORTS))}")
    return AIRPORTS[code]


def flight_record(
    *,
    tail: str,
    start: datetime,
    duration: int | None = None,
    departure: str | None = None,
    destination: str | None = None,
    track: list | None = None,
) -> tuple[Flight, list[FlightMatch]]:
    """Record a flight (generated track unless one is given) and match it; one transaction."""
    aircraft = Aircraft.objects.filter(tail__iexact=tail.strip()).first()
    if aircraft is None:
        raise ApiError(404, "Unknown aircraft", f"No aircraft with tail {tail}")
    try:
        if track is not None:
            points = normalize_track(track)
        else:
            if duration is None:
                raise ApiError(400, "Missing duration")
            dep = _airport(departure, aircraft.home_airport or settings.SIM_HOME_AIRPORT)
            arr = _airport(destination, dep.code)
            seed = int(start.timestamp()) ^ aircraft.pk
            points = generate_track(departure=dep, arrival=arr, duration=int(duration), seed=seed)
    except TrackError as exc:
        raise ApiError(400, "Bad track", str(exc)) from exc
    summary = summarize(points)
    with transaction.atomic():
        flight = Flight.objects.create(
            aircraft=aircraft,
            start=start,
            length=max(summary.length, 1),
            engine_ontime=max(summary.length, 1),
            airtime=summary.airtime,
            takeoff_offset=summary.takeoff,
            landing_offset=summary.landing,
            departure=summary.departure,
            arrival=summary.arrival,
            headline=summary.headline,
            max_altitude=summary.max_altitude,
            min_altitude=summary.min_altitude,
            max_agl=summary.max_agl,
            max_groundspeed=summary.max_groundspeed,
            max_climb=summary.max_climb,
            max_descent=summary.max_descent,
            track_json=json.dumps([[round(v, 6) for v in p] for p in points]),
        )
        matches = match_flight(flight)
    return flight, matches


def track_window(flight: Flight, *, offset: int, length: int) -> list[list[float]]:
    length = min(length, settings.SIM_TRACK_PAGE_MAX_SECONDS)
    return [p for p in flight.track if offset <= p[0] < offset + length]
