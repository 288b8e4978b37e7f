"""Sending planned reminders: claim, send, record.

A sender claims a row with a conditional UPDATE (pending → sending, only if it is still
pending with the attempts it read) and checks the row count, so two senders racing never
both send one email. The send happens with no transaction open (SMTP can take seconds); the
outcome is recorded afterwards. A failure leaves the row pending for a later beat, with
backoff, until MAX_ATTEMPTS; then it is failed."""

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from core.entry_points import system_entry_point
from dispatch.models import Aircraft, Booking
from reminders.models import Reminder
from reminders.planner import FLYING_ROLES

MAX_ATTEMPTS = 5
BATCH = 200
# A row left in "sending" this long belongs to a sender that died mid-send.
STUCK_AFTER = timedelta(minutes=10)
_UTC = dt_timezone.utc


def _retry_after(attempts: int) -> timedelta:
    """How long after a failed attempt the next one may be: 1, 4, 16, 64 minutes."""
    return timedelta(minutes=4 ** max(attempts - 1, 0))


def _due(now: datetime) -> Q:
    ready = Q(attempts=0)
    for attempts in range(1, MAX_ATTEMPTS):
        ready |= Q(attempts=attempts, claimed_at__lte=now - _retry_after(attempts))
    return Q(status=Reminder.Status.PENDING) & ready


def _give_up_on_stuck(now: datetime) -> int:
    """A row still "sending" after STUCK_AFTER: its sender died between claiming and
    recording. We cannot tell whether the email went (the SMTP server may have taken it just
    before the crash), and a reminder sent twice is worse than one missed, which the member
    still has on the board and in their calendar: so it is failed with a note, never resent."""
    return (Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=now - STUCK_AFTER)
            .update(status=Reminder.Status.FAILED,
                    last_error="Interrupted while sending; it may or may not have gone, so it is not sent again."))


def _claim(reminder: Reminder, now: datetime) -> bool:
    return bool(Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.PENDING, attempts=reminder.attempts)
                .update(status=Reminder.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1))


def _address(reminder: Reminder) -> str | None:
    """Where it goes, read at sending time: the member may have opted out or left since."""
    m = reminder.membership
    if not (m.is_active and m.email_reminders and m.user.is_active and m.user.email) or m.user.is_service_account:
        return None
    return m.user.email


def _still_applies(reminder: Reminder, now: datetime) -> bool:
    """A booking cancelled, moved (another day or aircraft), already begun, or no longer the
    member's, or an aircraft released, since the reminder was planned: the email would be
    wrong, so it is not sent (a booking moved has a reminder of its own)."""
    kind, _, rest = reminder.key.partition(":")
    if kind not in ("booking", "grounded"):
        return True
    if kind == "booking":
        booking_pk, aircraft_pk, moment = rest.split(":", 2)
    else:
        booking_pk, _, moment = rest.partition(":")
    booking = (Booking.objects.filter(pk=int(booking_pk), status=Booking.Status.BOOKED, start__gt=now)
               .select_related("aircraft").first())
    if booking is None:
        return False
    slots = booking.crew.filter(membership_id=reminder.membership_id)
    if kind == "booking":
        return (str(booking.aircraft_id) == aircraft_pk and booking.start.astimezone(_UTC).isoformat() == moment
                and slots.filter(role__in=FLYING_ROLES).exists())
    grounded_at = booking.aircraft.grounded_at
    return (booking.aircraft.status == Aircraft.Status.GROUNDED and grounded_at is not None
            and grounded_at.astimezone(_UTC).isoformat() == moment and slots.exists())


def _record(reminder: Reminder, *, error: str | None, now: datetime) -> None:
    claimed = Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING)
    if error is None:
        claimed.update(status=Reminder.Status.SENT, sent_at=now, last_error="")
    elif reminder.attempts + 1 >= MAX_ATTEMPTS:
        claimed.update(status=Reminder.Status.FAILED, last_error=error[:300])
    else:
        claimed.update(status=Reminder.Status.PENDING, last_error=error[:300])


def _send_one(reminder: Reminder, now: datetime) -> bool:
    if not _claim(reminder, now):
        return False  # another sender has it
    address = _address(reminder)
    why_not = ("Not sent: the member turned reminders off or has no address." if address is None else
               "Not sent: the booking changed or the aircraft was released since." if not _still_applies(reminder, now)
               else None)
    if why_not:
        Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING).update(
            status=Reminder.Status.FAILED, last_error=why_not)
        return False
    try:
        EmailMessage(reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL, [address]).send()
    except Exception as exc:  # any transport failure: recorded on the row, retried on a later beat
        _record(reminder, error=f"{type(exc).__name__}: {exc}", now=now)
        return False
    _record(reminder, error=None, now=timezone.now())
    return True


@system_entry_point("the reminders beat (reminders.tasks.remind_all)")
def reminders_send(now: datetime | None = None) -> int:
    """Send what is due; returns how many went. Never inside a transaction: each claim and
    each outcome is its own statement, the send in between holds no lock."""
    now = now or timezone.now()
    _give_up_on_stuck(now)
    sent = 0
    while True:
        batch = list(Reminder.objects.filter(_due(now)).select_related("membership__user")
                     .order_by("created_at", "pk")[:BATCH])
        if not batch:
            return sent
        for reminder in batch:
            sent += _send_one(reminder, now)
        if len(batch) < BATCH:
            return sent
