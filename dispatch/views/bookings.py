from datetime import datetime, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dispatch.forms import BookingForm, CancelForm, CheckInForm, CheckOutForm
from dispatch import extensions, policy
from dispatch.services import rules
from dispatch.services.bookings import booking_cancel, booking_create, booking_update
from dispatch.services.checks import BOOKING, CHECK_OUT
from dispatch.views.lookups import aircraft_for, booking_for
from clubs.access import club_member
from clubs.models import AuditEvent, Membership
from clubs.policy import can
from core.errors import Refusal
from core.form_errors import add_service_error
from core.query_params import parse_id


def _initial_for_new(request) -> tuple[dict, str]:
    """The form's prefill from the board's link (?aircraft=&start=&end=), and a note when the
    aircraft asked for cannot be preselected."""
    initial, note = {}, ""
    aircraft_id = parse_id(request.GET.get("aircraft"))
    if aircraft_id is not None:
        aircraft = aircraft_for(request, aircraft_id)
        if aircraft.is_retired:
            note = f"{aircraft.registration} is retired; choose another aircraft."
        elif aircraft.is_grounded:
            note = f"{aircraft.registration} is grounded ({aircraft.grounded_reason}); choose another aircraft."
        else:
            initial["aircraft"] = aircraft.pk
    start = _parse_moment(request.GET.get("start"))
    if start is None:
        now = timezone.localtime()
        start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    end = _parse_moment(request.GET.get("end"))
    if end is None or end <= start:
        end = start + timedelta(minutes=request.club.default_booking_minutes)
    initial.update(start=start, end=end)
    m = request.membership
    instructor = _instructor_asked(request)
    if instructor is not None:
        initial["instructor"] = instructor.pk
    if not policy.may_dispatch(m) and m != instructor:
        # A student books the lesson as its student; anyone else flies it in command.
        initial["student" if instructor is not None and m.instructor_id else "pic"] = m.pk
    return initial, note


def _instructor_asked(request):
    """The instructor of a lesson booked from their row on the board (?instructor=): an
    active instructor of this club, or nobody."""
    instructor_id = parse_id(request.GET.get("instructor"))
    if instructor_id is None:
        return None
    return (Membership.objects.filter(organization=request.club, pk=instructor_id, is_instructor=True, is_active=True)
            .select_related("user").first())


def _parse_moment(value: str | None) -> datetime | None:
    """A prefilled start or end from the board's link; anything odd or out of range reads as absent."""
    try:
        moment = datetime.fromisoformat(value) if value and len(value) <= 40 else None
    except ValueError:
        return None
    if moment is None or not rules.in_time_range(moment):
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def show_refusal(form, exc: Refusal) -> None:
    """A service's refusal on its form. A club rule set to block: its message at the top, and
    the override reason box only for someone who may override it (the refusal says so in
    details["overridable"]); what was typed stays in the fields."""
    if exc.field == "override_reason" and "overridable" in exc.details:
        form.offer_override(bool(exc.details["overridable"]))
        for message in exc.messages:
            form.add_error(None, message)
    elif exc.code == "rule_override_not_allowed":
        form.offer_override(False)
        form.add_error(None, exc.message)
    else:
        add_service_error(form, exc)


def report_rules(request, booking, *, stages: tuple[str, ...], reason: str, done: str) -> None:
    """After saving: the rules overridden (with the reason given) and the warnings found at
    `stages`, as messages (a walk-up meets the same rule at booking and at check-out: once)."""
    found = [f for f in booking.rule_findings or [] if f.get("stage", BOOKING) in stages]
    overridden = list(dict.fromkeys(f["message"].rstrip(".") for f in found if f.get("overridden")))
    if overridden:
        messages.warning(request, f"{done} despite {'; '.join(overridden)}: {reason}")
    # A warning, or a block kept by a change that moved nothing the rules look at.
    for message in dict.fromkeys(f["message"] for f in found if not f.get("overridden")):
        messages.warning(request, f"Rule warning: {message}")


@club_member("book")
def booking_new(request):
    m = request.membership
    initial, aircraft_note = (None, "") if request.POST else _initial_for_new(request)
    form = BookingForm(request.POST or None, membership=m, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_create(actor=m, data=form.to_input())
        except Refusal as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, f"Booked {booking.aircraft.registration}.")
            report_rules(request, booking, stages=(BOOKING,), reason=form.reason_given, done="Booked")
            return _back_to_board(request, booking)
    return render(request, "dispatch/booking_form.html",
                  {"form": form.rendered(), "title": "New booking", "aircraft_note": aircraft_note},
                  status=400 if form.errors else 200)


def _back_to_board(request, booking):
    local_day = timezone.localtime(booking.start).date()
    return redirect(f"{reverse('dispatch:board', args=[request.club.slug])}?date={local_day.isoformat()}#booking-{booking.pk}")


@club_member()
def booking_detail(request, pk: int):
    return booking_page(request, booking_for(request, pk))


def booking_page(request, booking, *, status: int = 200, **forms):
    """The booking page; the check-out/check-in views re-render it with their failed form."""
    # What the apps above add (flights: the booking's detected flights and the Hobbs check).
    extra = extensions.context_for("booking_page", request=request, booking=booking)
    m = request.membership
    may_dispatch = policy.may_dispatch(m, booking)
    on_page = {"checkout_form": may_dispatch and booking.status == booking.Status.BOOKED,
               "checkin_form": may_dispatch and booking.status == booking.Status.DISPATCHED}
    context = {**extra,
        "booking": booking,
        "may_change": policy.may_change_booking(m, booking),
        "may_dispatch": may_dispatch,
        "inactive_crew": rules.inactive_crew(booking),
        "dispatch_record": getattr(booking, "dispatch", None),
        "cancelled_by": _cancelled_by(booking),
        "checkout_form": CheckOutForm(initial={"hobbs_out": booking.aircraft.hobbs, "tach_out": booking.aircraft.tach}),
        "checkin_form": checkin_form_for(booking, extra.get("flown")),
        **forms,
        "rule_findings": _findings_by_stage(booking),
        # The crew's qualifications page (booking_rules) opens for those who keep or grant them.
        "may_see_qualifications": can(m, "keep_member_documents") or can(m, "grant_checkouts"),
        # A failed form shows its own errors; these are of one no longer on the page (someone
        # else checked the aircraft out a moment ago), shown once, at the top.
        "action_errors": [e for name, f in forms.items() if not on_page.get(name) for errs in f.errors.values() for e in errs],
    }
    context["checkout_form"].rendered()
    return render(request, "dispatch/booking_detail.html", context, status=status)


def _findings_by_stage(booking) -> list[tuple[str, list[dict]]]:
    """The rule warnings and overridden blocks kept on the booking, at booking, then at check-out."""
    found = booking.rule_findings or []
    return [(label, rows) for label, stage in (("At booking", BOOKING), ("At check-out", CHECK_OUT))
            if (rows := [f for f in found if f.get("stage", BOOKING) == stage])]


def checkin_form_for(booking, flown, data=None) -> CheckInForm:
    """Prefilled from the flights Wi-Flight detected: meters out + their engine hours."""
    record = getattr(booking, "dispatch", None)
    initial = {"hobbs_in": getattr(flown, "suggested_hobbs_in", None), "tach_in": getattr(flown, "suggested_tach_in", None)}
    return CheckInForm(data, initial=initial, hobbs_out=record.hobbs_out if record else None, flown=flown)


def _cancelled_by(booking) -> str:
    """Who cancelled, from the audit entry (the booking row keeps when and why, not who)."""
    if booking.status != booking.Status.CANCELLED:
        return ""
    event = (AuditEvent.objects.filter(organization_id=booking.organization_id, action="booking.cancelled",
                                       target_type="booking", target_id=str(booking.pk))
             .select_related("actor").order_by("-pk").first())
    return event.actor.display_name if event is not None and event.actor is not None else ""


@club_member("book")
def booking_edit(request, pk: int):
    booking = booking_for(request, pk)
    m = request.membership
    try:
        policy.require_booking_change(m, booking)
    except Refusal as exc:
        messages.error(request, exc.message)
        return redirect("dispatch:booking", request.club.slug, booking.pk)
    form = BookingForm(request.POST or None, membership=m, booking=booking,
                       initial=BookingForm.initial_from_booking(booking))
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_update(actor=m, booking=booking, data=form.to_input())
        except Refusal as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, "Booking changed.")
            report_rules(request, booking, stages=(BOOKING,), reason=form.reason_given, done="Changed")
            return _back_to_board(request, booking)
    return render(request, "dispatch/booking_form.html",
                  {"form": form.rendered(), "booking": booking, "title": "Change booking"},
                  status=400 if form.errors else 200)


@club_member("book")
def booking_cancel_view(request, pk: int):
    """GET asks for confirmation (and a reason); POST cancels."""
    booking = booking_for(request, pk)
    m = request.membership
    if request.method != "POST":
        try:
            policy.require_booking_change(m, booking, verb="cancel")
        except Refusal as exc:
            messages.error(request, exc.message)
            return redirect("dispatch:booking", request.club.slug, booking.pk)
        if booking.status != booking.Status.BOOKED:
            messages.error(request, f"A {booking.get_status_display().lower()} booking cannot be cancelled.")
            return redirect("dispatch:booking", request.club.slug, booking.pk)
        return render(request, "dispatch/booking_cancel.html", {"booking": booking, "form": CancelForm()})
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            booking_cancel(actor=m, booking=booking, reason=form.cleaned_data["reason"])
        except Refusal as exc:
            if exc.field != "reason":
                messages.error(request, " ".join(exc.messages))
                return redirect("dispatch:booking", request.club.slug, booking.pk)
            add_service_error(form, exc)
        else:
            messages.success(request, "Booking cancelled.")
            return redirect("dispatch:booking", request.club.slug, booking.pk)
    return render(request, "dispatch/booking_cancel.html", {"booking": booking, "form": form}, status=400)
