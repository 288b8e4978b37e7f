"""The board's row heads, booking blocks and week cells, drawn in Python.

A week of 30 aircraft draws some 400 blocks and 200 day cells; as included templates, each
block cost some forty template nodes (plus the Wi-Flight badge's include) and was most of the
board's render time. These tags give the same HTML as the templates they replace
(tests/dispatch/test_board_render.py compares them with the old templates, kept under
tests/dispatch/board_reference/), every value from a member or an aircraft escaped (escape
or format_html) exactly once. What is the same for every row (the booking URL, whether the member may book)
is worked out once per page, in BoardPage."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.url_patterns import url_pattern
from dispatch.board import BoardBlock, BoardRow, DayCell
from dispatch.templatetags.board_slots import booking_link

register = template.Library()
_PAGE_KEY = "dispatch.board_rows.page"


@dataclass
class BoardPage:
    """Per page: what every row and block of the board shares."""
    view: str
    booking_url: str  # a booking's page, "{}" for its id
    new_url: str
    may_book: bool
    today: date | None
    tz: object
    badges: dict = field(default_factory=dict)  # the Wi-Flight badge's HTML, per the sync facts it shows
    times: dict = field(default_factory=dict)  # per instant, its local "D H:i" and "H:i"
    status_labels: dict = field(default_factory=dict)  # per status, its label escaped

    def booking_href(self, pk: int) -> str:
        return self.booking_url.format(pk)


def _page(context) -> BoardPage:
    page = context.render_context.get(_PAGE_KEY)
    if page is None:
        club, membership = context["club"], context["membership"]
        page = BoardPage(
            view=context.get("view", "day"), booking_url=url_pattern("dispatch:booking", club.slug), new_url=context.get("new_url", ""),
            may_book=bool(membership and membership.may.book), today=context.get("today"),
            tz=context.get("tz"))
        context.render_context[_PAGE_KEY] = page
    return page


def _hm(moment: datetime) -> str:
    """`{{ moment|time:"H:i" }}`: in the current (the club's) time zone."""
    return timezone.localtime(moment).strftime("%H:%M")


def _sync_badge(page: BoardPage, booking) -> str:
    """wiflight/sync_badge.html (compact), rendered once per distinct set of facts it shows."""
    sync = getattr(booking, "wiflight_sync", None)
    key = None if sync is None else (booking.status, sync.state, sync.synced_deleted, sync.last_error)
    badge = page.badges.get(key)
    if badge is None:
        badge = page.badges[key] = get_template("wiflight/sync_badge.html").render({"sync": sync, "compact": True})
    return badge


def _times(page: BoardPage, moment: datetime) -> tuple[str, str]:
    """`moment|date:"D H:i"` and `moment|time:"H:i"`, escaped; bookings start on a few steps."""
    times = page.times.get(moment)
    if times is None:
        local = timezone.localtime(moment)
        times = page.times[moment] = (escape(date_format(local, "D H:i")), local.strftime("%H:%M"))
    return times


def block_html(page: BoardPage, block: BoardBlock, row: BoardRow) -> str:
    """The old dispatch/board_block.html (tests/dispatch/board_reference/), for one block of the day view or of a week cell: escaped here,
    value by value (joined and marked safe by the caller)."""
    booking = block.booking
    status = booking.status
    status_display = page.status_labels.get(status)
    if status_display is None:
        status_display = page.status_labels[status] = escape(booking.get_status_display())
    tag = "a" if block.linkable else "span"
    risk = escape(block.risk) if block.at_risk else ""
    label = escape(block.label)
    (start_title, start_hm), (end_title, end_hm) = _times(page, booking.start), _times(page, booking.end)
    registration = escape(row.aircraft.registration if row.aircraft else booking.aircraft.registration)
    return "".join((
        f'<{tag}',
        f' id="booking-{booking.pk}"' if block.first else "",
        f' class="block status-{escape(status)}{" at-risk" if block.at_risk else ""}"',
        f' style="left:{block.left:.4f}%;width:{block.width:.4f}%;--lane:{block.lane}"' if page.view == "day" else "",
        f' href="{escape(page.booking_href(booking.pk))}"' if block.linkable else "",
        f' title="{start_title}–{end_title} {label}">\n',
        f'  <span class="time">{_sync_badge(page, booking)}{start_hm}–{end_hm}</span>\n',
        f'  <span class="who">{label}</span>\n',
        f'  <span class="sr-only">{registration}, {status_display}{", at risk: " + risk if block.at_risk else ""}</span>\n',
        f'  <span class="state" aria-hidden="true">{status_display}</span>\n' if status != "booked" else "  \n",
        f'  <span class="risk" aria-hidden="true" title="{risk}">⚠ at risk</span>\n' if block.at_risk else "  \n",
        f'</{tag}>\n',
    ))


@register.simple_tag(takes_context=True)
def board_blocks(context, row: BoardRow) -> SafeString:
    """A day row's blocks."""
    page = _page(context)
    return mark_safe("".join([block_html(page, b, row) for b in row.blocks]))


@register.simple_tag(takes_context=True)
def board_row_head(context, row: BoardRow) -> SafeString:
    """The old dispatch/board_row_head.html (tests/dispatch/board_reference/)."""
    page = _page(context)
    if row.aircraft is not None:
        aircraft = row.aircraft
        notes = mark_safe("".join(
            format_html('<span class="badge maint-{}">{}</span>', note["level"], note["text"])
            for note in row.notes if note["text"] != aircraft.grounded_reason))
        if aircraft.is_grounded:
            action = format_html('<span class="badge grounded" title="{}">Grounded: {}</span>\n  ',
                                 aircraft.grounded_reason, aircraft.grounded_reason)
        elif page.may_book:
            if row.next_free is None:
                href = format_html("{}?aircraft={}", page.new_url, aircraft.pk)
            else:
                href = conditional_escape(booking_link(page.new_url, aircraft.pk, row.next_free,
                                                       row.next_free + context["board"].length, page.tz))
            free = format_html(' <span class="next-free">{}</span>', _hm(row.next_free)) if row.next_free else ""
            action = format_html('<a class="book-row" href="{}">Book <span class="sr-only">{}</span>{}</a>',
                                 href, aircraft.registration, free)
        else:
            action = ""
        body = format_html(
            '\n  <h2 id="{}">{}</h2>\n  <small>{}{}</small>\n  {}\n  {}\n  ',
            row.key, aircraft.registration, aircraft.aircraft_type,
            " · simulator" if aircraft.kind == "simulator" else "", notes, action)
    else:
        name = row.instructor.user.display_name
        action = format_html('<a class="book-row" href="{}?instructor={}">Book a lesson <span class="sr-only">with {}</span></a>',
                             page.new_url, row.instructor.pk, name) if page.may_book else ""
        body = format_html('\n  <h2 id="{}">{}</h2>\n  <small>Instructor</small>\n  {}\n  ', row.key, name, action)
    return format_html('\n<div class="ac-col">\n  {}\n</div>\n', body)


def _cell_html(page: BoardPage, cell: DayCell, row: BoardRow, length) -> SafeString:
    day = date_format(cell.day, "D d M")
    shades = mark_safe("".join(format_html('<span class="available-card">Available {}–{}</span>',
                                           _hm(s.start), _hm(s.end)) for s in cell.shades))
    blocks = mark_safe("".join([block_html(page, b, row) for b in cell.blocks]))
    if cell.free and page.may_book:
        href = booking_link(page.new_url, row.aircraft.pk, cell.free, cell.free + length, page.tz)
        free = format_html('<a class="day-book" href="{}" aria-label="Book {} {} {}">+ {}</a>',
                           href, row.aircraft.registration, day, _hm(cell.free), _hm(cell.free))
    else:
        free = ""
    return format_html(
        '\n    <div class="day-cell{}">\n      <span class="sr-only">{}</span>\n      {}\n      {}\n      {}\n'
        '    </div>\n    ', " today" if cell.day == page.today else "", day, shades, blocks, free)


@register.simple_tag(takes_context=True)
def week_cells(context, row: BoardRow) -> SafeString:
    """The day cells of one week row (what the week template's loop over row.cells drew)."""
    page = _page(context)
    length = context["board"].length
    return mark_safe("".join(_cell_html(page, cell, row, length) for cell in row.cells))
