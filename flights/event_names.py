"""Wi-Flight's event types (docs/wiflight.md: engine_start, takeoff, landing, engine_stop) in
words; a type we do not know yet is shown as its words ("touch_and_go" -> "Touch and go")."""

EVENT_NAMES = {
    "engine_start": "Engine start",
    "takeoff": "Takeoff",
    "landing": "Landing",
    "engine_stop": "Engine stop",
}


def event_name(kind: str) -> str:
    return EVENT_NAMES.get(kind) or kind.replace("_", " ").strip().capitalize() or "Event"
