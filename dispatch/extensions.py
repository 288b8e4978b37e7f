"""What the apps above dispatch add to its pages, without dispatch importing them (dispatch
sits below flights and the integrations; import-linter checks it).

An app registers a provider in its AppConfig.ready(); a dispatch view merges what the
providers give into its template context:

    context.update(extensions.context_for("booking_page", request=request, booking=booking))

Hooks (each provider is called with the keyword arguments listed and returns a dict):
- "booking_page": request, booking. flights adds `flown` (the booking's flights, engine time,
  the check-in suggestion and the Hobbs flag).
- "my_bookings_page": request, membership. flights adds `recent_flights` and `recent_log`.
- "fleet_page": request, organization. flights adds `flight_totals` (per aircraft id);
  maintenance adds `maintenance` (per aircraft id: hours, items due, open squawks).
- "board_page": request, board. maintenance adds `aircraft_notes` (per aircraft id: what
  is due soon or overdue); calendars adds `board_events` (the club's events in the window).
- "booking_page" again: maintenance adds `deferred_squawks` (listed at every check-out)
  and `aircraft_maintenance` (what is due on the booking's aircraft).
- "aircraft_page": request, aircraft. maintenance adds `maintenance` and `squawks`.

Providers of one hook may give the same key: lists are joined and dicts merged, in the
order the apps are installed; any other value is the last provider's.
"""

from collections.abc import Callable

HOOKS = ("booking_page", "my_bookings_page", "fleet_page", "board_page", "aircraft_page")
_providers: dict[str, list[Callable[..., dict]]] = {hook: [] for hook in HOOKS}


def register(hook: str, provider: Callable[..., dict]) -> None:
    if hook not in _providers:
        raise ValueError(f"unknown dispatch extension hook {hook!r}")
    if provider not in _providers[hook]:
        _providers[hook].append(provider)


def context_for(hook: str, **kwargs) -> dict:
    context: dict = {}
    for provider in _providers[hook]:
        for key, value in provider(**kwargs).items():
            if isinstance(value, list) and isinstance(context.get(key), list):
                context[key] = context[key] + value
            elif isinstance(value, dict) and isinstance(context.get(key), dict):
                context[key] = {**context[key], **value}
            else:
                context[key] = value
    return context
