"""The board's empty slots, drawn in Python: a day has dozens of slots per aircraft, and one
template node per slot attribute was most of the board's render time."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from dispatch.board import Board, BoardRow, busy_until, percent

register = template.Library()


def _local(moment: datetime, tz) -> str:
    return timezone.localtime(moment, tz).strftime("%Y-%m-%dT%H:%M")


def booking_link(new_url: str, aircraft_id: int, start: datetime, end: datetime, tz) -> str:
    return f"{new_url}?aircraft={aircraft_id}&start={_local(start, tz)}&end={_local(end, tz)}"


@register.simple_tag
def day_slots(board: Board, row: BoardRow, new_url: str, tz, first_focus: bool = False):
    """One link per free step of the frame, each proposing a booking of the club's default
    length from there (cut short by the next booking)."""
    now = board.now or timezone.now()
    taken = [(b.booking.start, busy_until(b.booking, now)) for b in row.blocks]
    slots, moment = [], board.start
    while moment < board.end:
        slot_end = min(moment + board.step, board.end)
        if not any(s < slot_end and e > moment for s, e in taken):
            later = [s for s, _ in taken if s >= slot_end]
            end = min([moment + board.length, *later])
            left = percent(moment, board.start, board.end)
            width = percent(slot_end, board.start, board.end) - left
            slots.append((
                "0" if first_focus and not slots else "-1",
                f"left:{left:.4f}%;width:{width:.4f}%",
                booking_link(new_url, row.aircraft.pk, moment, end, tz),
                _local(moment, tz), _local(slot_end, tz),
                f"Book {row.aircraft.registration} {timezone.localtime(moment, tz):%H:%M}",
            ))
        moment = slot_end
    return format_html_join(
        "", '<a class="slot" tabindex="{}" style="{}" href="{}" data-start="{}" data-end="{}" aria-label="{}"></a>', slots)


@register.simple_tag
def next_free_link(new_url: str, row: BoardRow, start: datetime | None, length, tz):
    if start is None:
        return format_html("{}?aircraft={}", new_url, row.aircraft.pk)
    return booking_link(new_url, row.aircraft.pk, start, start + length, tz)


@register.simple_tag
def lesson_link(new_url: str, row: BoardRow, shade, length, tz):
    """A lesson with this instructor at the start of their available hours, of the club's
    default length (or shorter, to fit the hours)."""
    end = min(shade.start + length, shade.end)
    return f"{new_url}?instructor={row.instructor.pk}&start={_local(shade.start, tz)}&end={_local(end, tz)}"
