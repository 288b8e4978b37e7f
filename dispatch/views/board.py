from datetime import date, timedelta

from django.shortcuts import render
from django.utils import timezone

from dispatch.selectors import board_for
from dispatch.policy import may_see_booking
from clubs.access import club_member
from core.query_params import parse_day


def _parse_day(value: str | None, tz) -> date:
    return parse_day(value) or timezone.localdate(timezone=tz)


@club_member()
def board(request):
    club = request.club
    view = "week" if request.GET.get("view") == "week" else "day"
    day = _parse_day(request.GET.get("date"), club.tz)
    board = board_for(organization=club, day=day, view=view)
    for row in board.rows:
        for block in row.blocks:
            block.linkable = may_see_booking(request.membership, block.booking)
    step = timedelta(days=7 if view == "week" else 1)
    return render(request, "dispatch/board.html", {
        "board": board, "day": day, "view": view,
        "prev_day": day - step, "next_day": day + step,
        "today": timezone.localdate(timezone=club.tz),
        "slot_hour_default": 9,
    })
