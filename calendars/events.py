"""The payloads of the calendar's change events (docs/events.md lists them)."""

from calendars.models import ClubEvent


def event_payload(event: ClubEvent) -> dict:
    return {"id": event.pk, "uid": str(event.uid), "kind": event.kind, "title": event.title,
            "start": event.start.isoformat(), "end": event.end.isoformat(),
            "cancelled": event.cancelled_at is not None}
