from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clubs.access import club_member
from clubs.models import Membership
from clubs.policy import can
from core.errors import Refusal
from core.form_errors import add_service_error
from dispatch.availability_forms import AvailabilityForm
from dispatch.models import InstructorAvailability
from dispatch.services.availability import availability_add, availability_remove


def _keeps_anyones(request) -> bool:
    return can(request.membership, "manage_all_bookings")


def _require_page(request) -> None:
    if not (request.membership.is_instructor or _keeps_anyones(request)):
        raise Http404("No such page.")


@club_member()
def availability(request):
    _require_page(request)
    m = request.membership
    instructors = None
    if _keeps_anyones(request):
        instructors = Membership.objects.filter(organization=request.club, is_instructor=True, is_active=True) \
            .select_related("user").order_by("user__full_name")
    form = AvailabilityForm(request.POST or None, membership=m, instructors=instructors,
                            initial={"day": timezone.localdate(), "instructor": m.pk if m.is_instructor else None})
    if request.method == "POST" and form.is_valid():
        start, end = form.period()
        try:
            availability_add(actor=m, instructor=form.chosen_instructor(), start=start, end=end,
                             note=form.cleaned_data["note"])
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Available hours marked.")
            return redirect("dispatch:availability", request.club.slug)
    hours = InstructorAvailability.objects.filter(organization=request.club, end__gt=timezone.now()) \
        .select_related("instructor__user").order_by("start")
    if instructors is None:
        hours = hours.filter(instructor=m)
    return render(request, "dispatch/availability.html", {"form": form, "hours": hours, "for_anyone": instructors is not None},
                  status=400 if form.errors else 200)


@require_POST
@club_member()
def availability_remove_view(request, pk: int):
    span = get_object_or_404(InstructorAvailability, pk=pk, organization=request.club)
    try:
        availability_remove(actor=request.membership, availability=span)
    except Refusal as exc:
        if exc.kind == "not_found":
            raise Http404("No such page.") from None
        messages.error(request, exc.message)
    else:
        messages.success(request, "Available hours removed.")
    return redirect("dispatch:availability", request.club.slug)
