"""Instructors' available hours: an instructor marks their own; dispatchers and admins mark
anyone's in their club. Overlapping or touching hours of one instructor merge into one span,
so the board never shows the same hour twice."""

from datetime import datetime

from django.db import transaction

from clubs.audit import audit_record
from clubs.models import Membership
from clubs.policy import can, require_active, require_same_club
from core.errors import Invalid, NotAllowed
from dispatch.models import InstructorAvailability
from dispatch.services.rules import check_times, local_span


def require_hours_keeper(actor: Membership, instructor: Membership) -> None:
    """The actor may mark or remove `instructor`'s hours; another club's member is not found."""
    require_active(actor)
    require_same_club(actor, instructor, "instructor")
    if actor.pk != instructor.pk and not can(actor, "manage_all_bookings"):
        raise NotAllowed("not_allowed", "You can mark only your own available hours.")


def availability_add(*, actor: Membership, instructor: Membership, start: datetime, end: datetime,
                     note: str = "") -> InstructorAvailability:
    require_hours_keeper(actor, instructor)
    if not (instructor.is_instructor and instructor.is_active):
        raise Invalid("not_an_instructor", f"{instructor.user.display_name} is not an active instructor.",
                      field="instructor")
    check_times(start, end)
    with transaction.atomic():
        # Locking the instructor serialises two adds for them: each sees the other's span and
        # merges with it, instead of both inserting an overlapping one.
        Membership.objects.select_for_update().filter(pk=instructor.pk).first()
        touching = list(InstructorAvailability.objects.filter(instructor=instructor, start__lte=end, end__gte=start))
        merged_start = min([start, *(a.start for a in touching)])
        merged_end = max([end, *(a.end for a in touching)])
        notes = [n for n in [*(a.note for a in touching), note.strip()] if n]
        InstructorAvailability.objects.filter(pk__in=[a.pk for a in touching]).delete()
        span = InstructorAvailability.objects.create(
            organization_id=instructor.organization_id, instructor=instructor, start=merged_start, end=merged_end,
            note="; ".join(dict.fromkeys(notes))[:120])
        tz = instructor.organization.tz
        audit_record(organization=instructor.organization, actor=actor.user, action="availability.added", target=span,
                     summary=f"{instructor.user.display_name} available {local_span(span.start, span.end, tz)}",
                     details={"instructor_id": instructor.pk, "merged": [a.pk for a in touching]})
    return span


def availability_remove(*, actor: Membership, availability: InstructorAvailability) -> None:
    require_same_club(actor, availability, "available hours")
    require_hours_keeper(actor, availability.instructor)
    tz = availability.organization.tz
    with transaction.atomic():
        audit_record(organization=availability.organization, actor=actor.user, action="availability.removed",
                     target=availability,
                     summary=f"{availability.instructor.user.display_name} no longer available "
                             f"{local_span(availability.start, availability.end, tz)}",
                     details={"instructor_id": availability.instructor_id})
        availability.delete()
