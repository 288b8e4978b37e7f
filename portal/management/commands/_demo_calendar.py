"""The demo club's calendar, for seed_demo: ground school this week, taught by the first
instructor, and a fly-in a week or so ahead, added by the dispatcher through the calendar
services. Run twice it adds nothing: an event is added only while none of its title is on
the club's calendar."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from calendars.models import ClubEvent
from calendars.services import EventInput, event_create

GROUND_SCHOOL = "Ground school: weather and flight planning"
FLY_IN = "Fly-in breakfast at Kingston"


def events(club, members) -> None:
    tz, today = club.tz, timezone.localdate(timezone=club.tz)
    # This week: from tomorrow, at the latest on Sunday (today itself when it is Sunday).
    school_day = today + timedelta(days=min(1, 6 - today.weekday()))
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 7)
    planned = [
        EventInput(kind=ClubEvent.Kind.GROUND_SCHOOL, title=GROUND_SCHOOL, instructor=members["instructor"],
                   start=datetime.combine(school_day, time(19), tzinfo=tz),
                   end=datetime.combine(school_day, time(21), tzinfo=tz), location="Clubhouse classroom",
                   description="METARs, TAFs and GFAs; bring your flight computer."),
        EventInput(kind=ClubEvent.Kind.FLY_IN, title=FLY_IN, location="CYGK Kingston",
                   start=datetime.combine(saturday, time(8), tzinfo=tz),
                   end=datetime.combine(saturday, time(13), tzinfo=tz),
                   description="Breakfast at the flying club; book an aircraft early."),
    ]
    for data in planned:
        if not ClubEvent.objects.filter(organization=club, title=data.title, cancelled_at__isnull=True).exists():
            event_create(actor=members["dispatcher"], data=data)
