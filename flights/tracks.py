"""Where a flight's GPS track and its playback come from. flights knows only the stored
track; a source (the Wi-Flight integration) registers in its AppConfig.ready() and is asked
for a track not yet stored, and for a link to its own playback of the flight. flights never
imports an integration (import-linter checks it)."""

from collections.abc import Callable

from flights.models import Flight, FlightTrack

# A source answers the points, or None while it fetches them (a web request never waits for
# the network); it answers [] for a flight it knows nothing about.
TrackSource = Callable[[Flight], list[list[float]] | None]
_sources: list[TrackSource] = []


def register_track_source(source: TrackSource) -> None:
    if source not in _sources:
        _sources.append(source)


def flight_track_stored(flight: Flight) -> list[list[float]] | None:
    return FlightTrack.objects.filter(flight=flight).values_list("points", flat=True).first()


def flight_track(flight: Flight) -> list[list[float]] | None:
    """The stored track; else the first source's answer (None: being fetched); [] when no
    source knows the flight."""
    points = flight_track_stored(flight)
    if points is not None:
        return points
    for source in _sources:
        points = source(flight)
        if points is None or points:
            return points
    return []


# A playback link for this user and flight, or "" when the source has none.
PlaybackLink = Callable[[object, Flight], str]
_playback_links: list[PlaybackLink] = []


def register_playback_link(link: PlaybackLink) -> None:
    if link not in _playback_links:
        _playback_links.append(link)


def flight_playback_url(user, flight: Flight) -> str:
    for link in _playback_links:
        url = link(user, flight)
        if url:
            return url
    return ""
