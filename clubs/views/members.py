from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clubs.access import club_member
from clubs.forms import MemberForm
from core.form_errors import add_service_error
from clubs.models import AuditEvent, Membership
from clubs.services import invitation_resend, member_invite, member_set_active, member_update


def _membership_for(request, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "organization"), pk=pk, organization=request.club)


@club_member("see_members")
def member_list(request):
    members = (Membership.objects.people().filter(organization=request.club)
               .select_related("user", "instructor__user").order_by("-is_active", "user__full_name", "user__username"))
    return render(request, "clubs/members.html", {"members": members})


@club_member("manage_members")
def member_invite_view(request):
    form = MemberForm(request.POST or None, club=request.club, initial={"roles": ["pilot"]})
    if request.method == "POST" and form.is_valid():
        try:
            membership, _ = member_invite(actor=request.membership, details=form.to_details())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Invitation sent to {membership.user.email}.")
            return redirect("member_list", request.club.slug)
    return render(request, "clubs/member_form.html", {"form": form, "title": "Invite a member"},
                  status=400 if form.errors else 200)


@club_member("manage_members")
def member_edit(request, pk: int):
    membership = _membership_for(request, pk)
    form = MemberForm(request.POST or None, club=request.club, initial=MemberForm.initial_for(membership))
    form.fields["instructor"].queryset = form.fields["instructor"].queryset.exclude(pk=membership.pk)
    if request.method == "POST" and form.is_valid():
        try:
            member_update(membership=membership, actor=request.membership, details=form.to_details())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Saved {membership.user.display_name}.")
            return redirect("member_list", request.club.slug)
    return render(request, "clubs/member_form.html", {"form": form, "member": membership,
                                                       "title": f"Edit {membership.user.display_name}"},
                  status=400 if form.errors else 200)


@club_member("manage_members")
def member_activation(request, pk: int):
    """Reactivate at once; deactivate only once confirmed (GET, or a POST without `confirm`,
    shows what it means and asks)."""
    membership = _membership_for(request, pk)
    active = request.POST.get("action") == "reactivate"
    if not active and request.POST.get("confirm") != "yes":
        asked = request.method == "POST"
        return render(request, "clubs/member_deactivate.html", {"member": membership, "asked": asked},
                      status=400 if asked else 200)
    try:
        member_set_active(membership=membership, actor=request.membership, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{membership.user.display_name} is {'active' if active else 'deactivated'}.")
    return redirect("member_list", request.club.slug)


@require_POST
@club_member("manage_members")
def member_reinvite(request, pk: int):
    membership = _membership_for(request, pk)
    invitation_resend(membership=membership, actor=request.membership)
    messages.success(request, f"A new invitation was sent to {membership.user.email}.")
    return redirect("member_list", request.club.slug)


@club_member("see_audit_log")
def audit_log(request):
    events = AuditEvent.objects.filter(organization=request.club).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "clubs/audit_log.html", {"page": page})
