"""Club events, and the private feed addresses members subscribe to.

A feed's token is the only credential its address carries: 32 random bytes, shown once,
stored as its SHA-256; making a new one revokes the old, and revoking leaves the address
answering 404 like any unknown one."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from calendars import policy
from calendars.events import event_payload
from calendars.models import CalendarFeed, ClubEvent
from clubs.audit import audit_record
from clubs.changes import change_record
from clubs.models import Membership
from core.entry_points import system_entry_point
from core.errors import Conflict, Invalid, NotFound
from core.text import require_plain_line, require_plain_text
from dispatch.models import Aircraft
from dispatch.services.rules import check_times

MAX_EVENT_DAYS = 14


@dataclass(frozen=True)
class EventInput:
    kind: str
    title: str
    start: datetime
    end: datetime
    description: str = ""
    location: str = ""
    instructor: Membership | None = None


def _check(actor: Membership, data: EventInput) -> None:
    if data.kind not in ClubEvent.Kind.values:
        raise Invalid("event_kind_unknown", "Unknown kind of event.", field="kind")
    require_plain_line(data.title, field="title", label="A title")
    require_plain_line(data.location, field="location", label="A location")
    if not data.title.strip() or len(data.title.strip()) > 120:
        raise Invalid("title_required", "Give the event a title of at most 120 characters.", field="title")
    if len(data.location.strip()) > 120:
        raise Invalid("location_too_long", "Keep the location under 120 characters.", field="location")
    if len(data.description) > 2000:
        raise Invalid("description_invalid", "Keep the description to 2000 characters of text.", field="description")
    require_plain_text(data.description, field="description", label="The description")
    check_times(data.start, data.end)
    if (data.end - data.start).days >= MAX_EVENT_DAYS:
        raise Invalid("event_too_long", f"An event lasts at most {MAX_EVENT_DAYS} days.", field="end")
    if data.instructor is not None:
        if data.instructor.organization_id != actor.organization_id:
            raise NotFound("unknown_member", "Unknown instructor.", field="instructor")
        if not (data.instructor.is_instructor and data.instructor.is_active):
            raise Invalid("not_an_instructor", f"{data.instructor.user.display_name} is not an active instructor.",
                          field="instructor")


def _apply(event: ClubEvent, data: EventInput) -> None:
    event.kind, event.title, event.start, event.end = data.kind, data.title.strip(), data.start, data.end
    event.description, event.location, event.instructor = data.description.strip(), data.location.strip(), data.instructor


def event_create(*, actor: Membership, data: EventInput) -> ClubEvent:
    policy.require_event_manager(actor)
    _check(actor, data)
    with transaction.atomic():
        event = ClubEvent(organization=actor.organization, created_by=actor.user)
        _apply(event, data)
        event.save()
        change_record(event="club_event.changed", organization=actor.organization, actor=actor, target=event,
                      audit_action="club_event.added", summary=f"Added {event.get_kind_display().lower()} “{event.title}”",
                      payload=event_payload(event))
    return event


def event_update(*, actor: Membership, event: ClubEvent, data: EventInput) -> ClubEvent:
    policy.require_event_manager(actor, event)
    _check(actor, data)
    with transaction.atomic():
        locked = ClubEvent.objects.select_for_update().get(pk=event.pk)
        if locked.cancelled_at is not None:
            raise Conflict("event_cancelled", "This event was cancelled.")
        _apply(locked, data)
        locked.save()
        change_record(event="club_event.changed", organization=actor.organization, actor=actor, target=locked,
                      audit_action="club_event.changed", summary=f"Changed “{locked.title}”", payload=event_payload(locked))
    return locked


def event_cancel(*, actor: Membership, event: ClubEvent) -> ClubEvent:
    policy.require_event_manager(actor, event)
    with transaction.atomic():
        locked = ClubEvent.objects.select_for_update().get(pk=event.pk)
        if locked.cancelled_at is not None:
            return locked
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at", "updated_at"])
        change_record(event="club_event.changed", organization=actor.organization, actor=actor, target=locked,
                      audit_action="club_event.cancelled", summary=f"Cancelled “{locked.title}”",
                      payload=event_payload(locked))
    return locked


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_create(*, actor: Membership, membership: Membership | None = None, aircraft: Aircraft | None = None) -> str:
    """A new feed address for the member (their own) or an aircraft; the previous one stops
    working. Returns the token (shown once)."""
    if (membership is None) == (aircraft is None):
        raise Invalid("feed_owner_required", "A feed is a member's or an aircraft's.")
    policy.require_feed_owner(actor, membership=membership, aircraft=aircraft)
    token = secrets.token_urlsafe(32)
    owner = {"membership": membership} if membership is not None else {"aircraft": aircraft, "created_by": actor.user}
    try:
        with transaction.atomic():
            CalendarFeed.objects.select_for_update().filter(revoked_at__isnull=True, **owner).update(revoked_at=timezone.now())
            CalendarFeed.objects.create(organization=actor.organization, token_hash=_hash_token(token),
                                        **{"created_by": actor.user, **owner})
            audit_record(organization=actor.organization, actor=actor.user, action="calendar.feed_created",
                         target=membership or aircraft,
                         summary=f"New calendar address for {membership.user.display_name if membership else aircraft.registration}"
                         " (the previous one stops working)")
    except IntegrityError as exc:  # two at once: one wins
        raise Conflict("feed_changed", "The calendar address changed at the same moment. Try again.") from exc
    return token


def feed_revoke(*, actor: Membership, membership: Membership | None = None, aircraft: Aircraft | None = None) -> int:
    policy.require_feed_owner(actor, membership=membership, aircraft=aircraft)
    # An aircraft's feed: the subscriber's own address only.
    owner = {"membership": membership} if membership is not None else {"aircraft": aircraft, "created_by": actor.user}
    with transaction.atomic():
        revoked = CalendarFeed.objects.filter(revoked_at__isnull=True, **owner).update(revoked_at=timezone.now())
        if revoked:
            audit_record(organization=actor.organization, actor=actor.user, action="calendar.feed_revoked",
                         target=membership or aircraft, summary="Revoked a calendar address")
    return revoked


@system_entry_point("a calendar app fetching a feed: the token is the credential, no member signs in")
def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed this token opens, or None. Its owner must still be an active member of
    the club (an aircraft's feed: its creator still one who sees every booking)."""
    if not token or len(token) > 100:
        return None
    feed = (CalendarFeed.objects.select_related("organization", "membership__user", "membership__organization",
                                                "aircraft", "created_by")
            .filter(token_hash=_hash_token(token), revoked_at__isnull=True).first())
    if feed is None:
        return None
    if feed.membership is not None and not (feed.membership.is_active and feed.membership.user.is_active):
        return None
    if feed.aircraft is not None:
        creator = Membership.objects.filter(organization=feed.organization, user=feed.created_by,
                                            is_active=True, user__is_active=True).select_related("user").first()
        if creator is None or not policy.may_have_aircraft_feed(creator) or feed.aircraft.is_retired:
            return None
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 300:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed
