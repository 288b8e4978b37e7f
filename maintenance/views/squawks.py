"""Reporting squawks (any member but a viewer), the club's list, maintenance's answer to one
(clear, re-rate), and its photo, streamed only to members of the squawk's club."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clubs.access import club_member
from core.errors import Refusal
from core.form_errors import add_service_error
from maintenance import policy
from maintenance.forms import SquawkClearForm, SquawkForm, SquawkRateForm
from maintenance.models import Squawk
from maintenance.services.squawks import squawk_clear, squawk_rate, squawk_report
from maintenance.views.lookups import aircraft_for, squawk_for

CLEARED_SHOWN = 50
CONTENT_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@club_member("report_squawks")
def squawk_new(request, pk: int):
    aircraft = aircraft_for(request, pk)
    form = SquawkForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            squawk = squawk_report(actor=request.membership, aircraft=aircraft, **form.cleaned_data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            said = f"Reported a squawk on {aircraft.registration}."
            if squawk.severity == Squawk.Severity.GROUNDING:
                said += " It is grounded until maintenance clears it."
            messages.success(request, said)
            return redirect("maintenance:aircraft", request.club.slug, aircraft.pk)
    return render(request, "maintenance/squawk_form.html", {"form": form, "aircraft": aircraft},
                  status=400 if form.errors else 200)


@club_member()
def squawk_list(request):
    squawks = Squawk.objects.filter(organization=request.club).select_related("aircraft", "reported_by", "cleared_by")
    return render(request, "maintenance/squawk_list.html", {
        "open_squawks": list(squawks.filter(status=Squawk.Status.OPEN).order_by("aircraft__registration", "-reported_at")),
        "cleared_squawks": list(squawks.filter(status=Squawk.Status.CLEARED).order_by("-cleared_at")[:CLEARED_SHOWN]),
    })


def _squawk_page(request, squawk, *, status=200, **forms):
    context = {"squawk": squawk, "may_maintain": policy.may_maintain(request.membership),
               "clear_form": SquawkClearForm(prefix="clear"),
               "rate_form": SquawkRateForm(prefix="rate", initial={"severity": squawk.severity}),
               **forms}
    # A failed form no longer on the page (the squawk was cleared a moment ago) says why at the top.
    if not (context["may_maintain"] and squawk.is_open):
        context["action_errors"] = [e for f in forms.values() for errs in f.errors.values() for e in errs]
    return render(request, "maintenance/squawk_detail.html", context, status=status)


@club_member()
def squawk_detail(request, pk: int):
    return _squawk_page(request, squawk_for(request, pk))


@require_POST
@club_member("manage_maintenance")
def squawk_clear_view(request, pk: int):
    squawk = squawk_for(request, pk)
    form = SquawkClearForm(request.POST, prefix="clear")
    if form.is_valid():
        try:
            squawk_clear(actor=request.membership, squawk=squawk, note=form.cleaned_data["note"])
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Cleared the squawk on {squawk.aircraft.registration}.")
            return redirect("maintenance:aircraft", request.club.slug, squawk.aircraft_id)
    return _squawk_page(request, squawk, status=400, clear_form=form)


@require_POST
@club_member("manage_maintenance")
def squawk_rate_view(request, pk: int):
    squawk = squawk_for(request, pk)
    form = SquawkRateForm(request.POST, prefix="rate")
    if form.is_valid():
        try:
            rated = squawk_rate(actor=request.membership, squawk=squawk, **form.cleaned_data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"The squawk on {squawk.aircraft.registration} is now "
                             f"{rated.get_severity_display().split(':')[0].lower()}.")
            return redirect("maintenance:squawk", request.club.slug, squawk.pk)
    return _squawk_page(request, squawk, status=400, rate_form=form)


@club_member()
def squawk_photo(request, pk: int):
    """The photo, from MEDIA_ROOT (never served statically): its type read from the image
    itself, not from the name it was uploaded with, and never sniffed by the browser."""
    squawk = squawk_for(request, pk)
    if not squawk.photo:
        raise Http404("No photo.")
    from PIL import Image, UnidentifiedImageError

    try:
        handle = squawk.photo.open("rb")
        with Image.open(handle) as image:
            content_type = CONTENT_TYPES.get(image.format)
        handle.seek(0)
    except (FileNotFoundError, UnidentifiedImageError, OSError) as exc:
        raise Http404("No photo.") from exc
    if content_type is None:
        handle.close()
        raise Http404("No photo.")
    response = FileResponse(handle, content_type=content_type, as_attachment=False,
                            filename=f"squawk-{squawk.pk}.{content_type.split('/')[1]}")
    response["Content-Disposition"] = f'inline; filename="squawk-{squawk.pk}.{content_type.split("/")[1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
