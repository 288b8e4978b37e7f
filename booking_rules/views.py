"""The booking rules settings (admins) and a member's qualifications page: document dates,
aircraft checkouts, solo endorsements. Every write calls one service."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from booking_rules.checks import rules_of
from booking_rules.forms import CheckoutForm, DocumentsForm, EndorsementForm, RevokeForm, RulesForm
from booking_rules.models import AircraftCheckout, SoloEndorsement
from booking_rules.services import (booking_rules_update, checkout_grant, checkout_revoke, endorsement_grant,
                                    endorsement_revoke)
from clubs.access import club_member
from clubs.models import Membership
from clubs.policy import can
from clubs.services import member_documents_update, member_reminders_set
from core.errors import Refusal
from core.form_errors import add_service_error


@club_member("manage_booking_rules")
def rules_settings(request):
    rules = rules_of(request.club)
    form = RulesForm(request.POST or None, initial=RulesForm.initial_from(rules))
    if request.method == "POST" and form.is_valid():
        try:
            booking_rules_update(actor=request.membership, data=form.to_input())
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Booking rules saved.")
            return redirect("booking_rules:settings", request.club.slug)
    return render(request, "booking_rules/settings.html", {"form": form}, status=400 if form.errors else 200)


def may_see_qualifications(actor: Membership, member: Membership) -> bool:
    """Keepers of document dates and granters of checkouts see anyone's; a member their own."""
    return actor.pk == member.pk or can(actor, "keep_member_documents") or can(actor, "grant_checkouts")


def _member_for(request, pk: int) -> Membership:
    member = get_object_or_404(Membership.objects.people().select_related("user", "organization"),
                               pk=pk, organization=request.club)
    if not may_see_qualifications(request.membership, member):
        raise Http404("No such page.")
    return member


def document_standing(expires: date | None, today: date) -> tuple[str, str]:
    """A document date in words, with its kind: missing, expired, expiring (within the
    reminders' window) or valid."""
    if expires is None:
        return "missing", "Not on file"
    days = (expires - today).days
    if days < 0:
        return "expired", f"Expired {-days} day{'s' if days != -1 else ''} ago"
    if days == 0:
        return "expiring", "Expires today"
    if days <= settings.REMINDER_DOCUMENTS_DAYS:
        return "expiring", f"Expires in {days} day{'s' if days != 1 else ''}"
    return "valid", "Valid"


def _page(request, member: Membership, *, status: int = 200, **forms):
    actor, today = request.membership, timezone.localdate(timezone=request.club.tz)
    may_keep = can(actor, "keep_member_documents")
    may_grant = can(actor, "grant_checkouts")
    documents = [(label, getattr(member, field), *document_standing(getattr(member, field), today))
                 for field, label in (("licence_expires_on", "Licence"), ("medical_expires_on", "Medical"),
                                      ("flight_review_expires_on", "Flight review"))]
    context = {
        "member": member, "documents": documents, "may_keep": may_keep, "may_grant": may_grant,
        "checkouts": AircraftCheckout.objects.filter(membership=member, revoked_at__isnull=True)
        .select_related("aircraft", "granted_by"),
        "endorsements": SoloEndorsement.objects.filter(membership=member, revoked_at__isnull=True)
        .select_related("instructor__user"),
        "today": today, "reminder_days": settings.REMINDER_DOCUMENTS_DAYS,
        "documents_form": DocumentsForm(initial={f: getattr(member, f) for f in DocumentsForm.base_fields}),
        "checkout_form": CheckoutForm(club=request.club),
        "endorsement_form": EndorsementForm(),
        **forms,
    }
    return render(request, "booking_rules/member.html", context, status=status)


@club_member()
def member_qualifications(request, pk: int):
    return _page(request, _member_for(request, pk))


@require_POST
@club_member()
def member_reminders(request, pk: int):
    """A member turns their email reminders on or off (their own page only)."""
    member = _member_for(request, pk)
    if member.pk != request.membership.pk:
        raise Http404("No such page.")
    wanted = request.POST.get("email_reminders") == "on"
    try:
        member_reminders_set(actor=request.membership, membership=member, email_reminders=wanted)
    except Refusal as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Email reminders are " + ("on." if wanted else "off."))
    return redirect("booking_rules:member", request.club.slug, member.pk)


@require_POST
@club_member("keep_member_documents")
def member_documents(request, pk: int):
    member = _member_for(request, pk)
    return _submit(request, member, "documents_form", DocumentsForm(request.POST),
                   lambda d: member_documents_update(membership=member, actor=request.membership, **d),
                   f"Saved the document dates of {member.user.display_name}.")


@require_POST
@club_member("grant_checkouts")
def checkout_new(request, pk: int):
    member = _member_for(request, pk)
    return _submit(request, member, "checkout_form", CheckoutForm(request.POST, club=request.club),
                   lambda d: checkout_grant(actor=request.membership, member=member, aircraft=d["aircraft"],
                                            aircraft_type=d["aircraft_type"], note=d["note"]),
                   f"Checked out {member.user.display_name}.")


@require_POST
@club_member("grant_checkouts")
def endorsement_new(request, pk: int):
    member = _member_for(request, pk)
    return _submit(request, member, "endorsement_form", EndorsementForm(request.POST),
                   lambda d: endorsement_grant(actor=request.membership, student=member, expires_on=d["expires_on"],
                                               aircraft_type=d["aircraft_type"], note=d["note"]),
                   f"Endorsed {member.user.display_name} for solo.")


def _submit(request, member: Membership, form_name: str, form, write, done: str):
    """One of the page's forms posted: the service writes, or the page comes back with the
    refusal on the form (400) and nothing changed."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("booking_rules:member", request.club.slug, member.pk)
    return _page(request, member, status=400, **{form_name: form})


def _revoke(request, member: Membership, service, **target):
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.membership, note=form.cleaned_data["note"], **target)
        except Refusal as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Revoked.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("booking_rules:member", request.club.slug, member.pk)


@require_POST
@club_member("grant_checkouts")
def checkout_remove(request, pk: int, checkout_pk: int):
    member = _member_for(request, pk)
    checkout = get_object_or_404(AircraftCheckout, pk=checkout_pk, membership=member)
    return _revoke(request, member, checkout_revoke, checkout=checkout)


@require_POST
@club_member("grant_checkouts")
def endorsement_remove(request, pk: int, endorsement_pk: int):
    member = _member_for(request, pk)
    endorsement = get_object_or_404(SoloEndorsement, pk=endorsement_pk, membership=member)
    return _revoke(request, member, endorsement_revoke, endorsement=endorsement)
