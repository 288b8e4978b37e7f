"""What calendars adds to dispatch's pages, through dispatch.extensions."""

from django.urls import reverse

from calendars.selectors import events_between
from dispatch import extensions


def board_events(*, request, board) -> dict:
    """The club's events in the board's window, for the list above the aircraft: one query."""
    slug = request.club.slug
    url = reverse("calendars:events", args=[slug])
    return {"board_events": [
        {"title": e.title, "kind": e.kind, "kind_label": e.get_kind_display(), "start": e.start, "end": e.end,
         "location": e.location, "url": f"{url}#event-{e.pk}",
         "instructor": e.instructor.user.display_name if e.instructor_id else ""}
        for e in events_between(request.club, board.start, board.end)]}


def register() -> None:
    extensions.register("board_page", board_events)
