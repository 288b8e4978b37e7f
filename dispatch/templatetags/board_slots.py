"""The board's empty slots, drawn in Python: a day has dozens of slots per aircraft, and one
template node per slot attribute was most of the board's render time."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from dispatch.board import Board, BoardRow, busy_until, percent

register = template.Library()


def _local(moment: datetime, tz) -> str:
    return timezone.localtime(moment, tz).strftime("%Y-%m-%dT%H:%M")


def booking_link(new_url: str, aircraft_id: int, start: datetime, end: datetime, tz) -> str:
    return f"{new_url}?aircraft={aircraft_id}&start={_local(start, tz)}&end={_local(end, tz)}"


def _frame_slots(board: Board, tz) -> list[tuple]:
    """The frame's steps, the same on every row: (start, end, style, local start, local end,
    local HH:MM), worked out once per board."""
    cached = getattr(board, "_frame_slots", None)
    if cached is None:
        cached, moment = [], board.start
        while moment < board.end:
            slot_end = min(moment + board.step, board.end)
            left = percent(moment, board.start, board.end)
            width = percent(slot_end, board.start, board.end) - left
            local = timezone.localtime(moment, tz)
            cached.append((moment, slot_end, f"left:{left:.4f}%;width:{width:.4f}%", local.strftime("%Y-%m-%dT%H:%M"),
                           _local(slot_end, tz), f"{local:%H:%M}"))
            moment = slot_end
        board._frame_slots = cached
    return cached


@register.simple_tag
def day_slots(board: Board, row: BoardRow, new_url: str, tz, first_focus: bool = False):
    """One link per free step of the frame, each proposing a booking of the club's default
    length from there (cut short by the next booking)."""
    now = board.now or timezone.now()
    taken = [(b.booking.start, busy_until(b.booking, now)) for b in row.blocks]
    # Escaped once per row; the times and percentages are digits.
    link = conditional_escape(f"{new_url}?aircraft={row.aircraft.pk}&start=")
    label = conditional_escape(f"Book {row.aircraft.registration} ")
    slots = []
    for moment, slot_end, style, local_start, local_end, hm in _frame_slots(board, tz):
        if not any(s < slot_end and e > moment for s, e in taken):
            later = [s for s, _ in taken if s >= slot_end]
            end = min([moment + board.length, *later])
            end_text = local_end if end == slot_end else _local(end, tz)
            slots.append(
                f'<a class="slot" tabindex="{"0" if first_focus and not slots else "-1"}" style="{style}" '
                f'href="{link}{local_start}&amp;end={end_text}" data-start="{local_start}" data-end="{local_end}" '
                f'aria-label="{label}{hm}"></a>')
    return mark_safe("".join(slots))


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
