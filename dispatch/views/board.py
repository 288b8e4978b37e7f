from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from clubs.access import club_member
from clubs.policy import can
from core.query_params import parse_day
from dispatch import extensions
from dispatch.board import VIEWS, blocks_of, board_for
from dispatch.policy import booking_visibility


@club_member()
def board(request):
    club = request.club
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "day"
    today = timezone.localdate(timezone=club.tz)
    asked = request.GET.get("date")
    day = parse_day(asked) or today
    # A mistyped date is said, not silently replaced by today (the page still works: 200).
    bad_date = asked if asked and parse_day(asked) is None else None
    board = board_for(organization=club, day=day, view=view)
    # may_see_booking, with the member's rule built once for the page rather than per block.
    sees = booking_visibility(request.membership)
    for block in blocks_of(board):
        block.linkable = sees(block.booking)
    extra = extensions.context_for("board_page", request=request, board=board)
    notes = extra.get("aircraft_notes", {})
    for row in board.rows:
        if row.aircraft is not None:
            row.notes = notes.get(row.aircraft.pk, [])
    step = timedelta(days=7 if view == "week" else 1)
    m = request.membership
    return render(request, "dispatch/board.html", {
        # The club's events in the board's window (calendars): [{"title", "kind", "start",
        # "end", "location", "url"}], shown above the aircraft.
        "board_events": extra.get("board_events", []),
        "board": board, "day": day, "view": view, "today": today, "bad_date": bad_date,
        "prev_day": day - step, "next_day": day + step, "tz": club.tz,
        "may_mark_hours": m.is_instructor or can(m, "manage_all_bookings"),
    })
