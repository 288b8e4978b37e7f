"""The events a webhook endpoint can subscribe to, and what each message is about.

A webhook event is a change event of `clubs.changes` under the name receivers know it by
(`member.removed` is our `member.deactivated`). Offering another event is one line in
`EVENTS`, once the domain records it; docs/webhooks.md lists them.
"""

from clubs.changes import EVENTS as CHANGE_EVENTS, Change

# Webhook event -> the change event it is sent for.
EVENTS: dict[str, str] = {
    "flight_log.created": "flight_log.created",
    "flight_log.updated": "flight_log.updated",
    "flight_log.deleted": "flight_log.deleted",
    "member.added": "member.added",
    "member.removed": "member.deactivated",
    "aircraft.status_changed": "aircraft.status_changed",
    "aircraft.retired": "aircraft.retired",
    "booking.created": "booking.created",
    "booking.changed": "booking.changed",
    "booking.cancelled": "booking.cancelled",
    "flight.detected": "flight.detected",
    "invoice.created": "invoice.created",
    "invoice.paid": "invoice.paid",
    "invoice.voided": "invoice.voided",
    "payment.recorded": "payment.recorded",
    "squawk.reported": "squawk.reported",
    "squawk.changed": "squawk.changed",
    "event.changed": "club_event.changed",
}

# The object a message is about, by the change target's model: the type names of the REST API.
OBJECT_TYPES: dict[str, str] = {
    "dispatch.booking": "booking",
    "dispatch.aircraft": "aircraft",
    "clubs.membership": "member",
    "flights.flight": "flight",
    "flights.logbookentry": "flight_log",
    "accounting.invoice": "invoice",
    "accounting.payment": "payment",
    "accounting.expense": "expense",
    "maintenance.squawk": "squawk",
    "maintenance.maintenanceitem": "maintenance_item",
    "calendars.clubevent": "event",
}


def webhook_events_for(change_event: str) -> list[str]:
    return [name for name, source in EVENTS.items() if source == change_event]


def event_choices() -> list[tuple[str, str]]:
    return [(name, f"{name}: {CHANGE_EVENTS[source]}") for name, source in EVENTS.items()]


def object_of(change: Change) -> tuple[str, int]:
    """(type, id) of the change's target, as the message's `object` names it."""
    target = change.target
    return OBJECT_TYPES.get(target._meta.label_lower, target._meta.model_name), target.pk


def actor_of(change: Change) -> dict | None:
    """Who made the change, as the message's `actor` says it: a member, an API key's
    account, or null when the system did (maintenance grounding on an overdue item, a sweep,
    a recorder's notification)."""
    actor = change.actor
    if actor is None:
        return None
    kind = "api_key" if actor.user.is_service_account else "member"
    return {"type": kind, "id": actor.pk, "name": actor.user.display_name}


def ordering_key(change: Change) -> str:
    """Messages with one key reach an endpoint in the order they were recorded.

    The key is the object, except for the flight log: entries made for a flight or a check-in
    are announced by one `flight_log.created` whose target is that flight or booking, and
    later `flight_log.updated` events name each entry. Keyed by the booking (else the
    flight, else the entry), an entry's update never overtakes the message announcing it."""
    if change.event.startswith("flight_log."):
        payload = change.payload
        if payload.get("booking_id"):
            return f"flight_log:booking:{payload['booking_id']}"
        if payload.get("flight_id"):
            return f"flight_log:flight:{payload['flight_id']}"
        entry_id = payload["entry_ids"][0] if "entry_ids" in payload else payload["id"]
        return f"flight_log:entry:{entry_id}"
    kind, pk = object_of(change)
    return f"{kind}:{pk}"
