"""The billing terms, for the treasurer and club admins: the club's billing settings, each
aircraft's terms, each instructor's rates, each member's group and credit limit. Every form
saves through accounting.services.terms; a refusal is shown on the form, with 400."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from accounting.models import Account, AircraftTerms, InstructorRate, MemberGroup
from accounting.money import money_display
from accounting.services.accounts import billing_settings_for
from accounting.services.terms import (
    account_update, aircraft_terms_update, billing_settings_update, instructor_rate_update,
)
from accounting.terms_forms import AccountForm, AircraftTermsForm, BillingSettingsForm, InstructorRateForm
from clubs.access import club_member
from clubs.models import Membership
from core.errors import Refusal
from core.form_errors import add_service_error
from dispatch.models import Aircraft

SETTINGS_FIELDS = ("hours_step", "money_step", "payment_terms_days", "invoice_prefix", "credit_note_prefix",
                   "credit_limit_member", "credit_limit_student", "credit_limit_non_member")


def _saved(form, service, **kwargs) -> bool:
    """Call the service with the form's data; a refusal lands on the form."""
    try:
        service(**kwargs)
    except Refusal as exc:
        add_service_error(form, exc)
        return False
    return True


def _aircraft_rows(club):
    aircraft = list(Aircraft.objects.filter(organization=club).in_service().order_by("registration"))
    terms = {t.aircraft_id: t for t in AircraftTerms.objects.filter(aircraft__in=aircraft)}
    for a in aircraft:
        a.terms = terms.get(a.pk) or AircraftTerms(aircraft=a)
        a.rates = {"member": money_display(a.hourly_rate, club.currency),
                   "student": _rate_or_member(a.terms.student_rate, club.currency),
                   "non_member": _rate_or_member(a.terms.non_member_rate, club.currency)}
    return aircraft


def _rate_or_member(rate, currency: str) -> str:
    return "member rate" if rate is None else money_display(rate, currency)


def _instructors(club):
    return list(Membership.objects.filter(organization=club, is_instructor=True, is_active=True)
                .select_related("user").order_by("user__full_name", "user__username"))


def _instructor_form(instructor, data=None) -> InstructorRateForm:
    rate = InstructorRate.objects.filter(instructor=instructor).first() or InstructorRate(instructor=instructor)
    return InstructorRateForm(data, prefix=f"i{instructor.pk}",
                              initial={"flight_rate": rate.flight_rate, "ground_rate": rate.ground_rate})


@club_member("manage_accounts")
def terms_home(request):
    club = request.club
    settings = billing_settings_for(club)
    form = BillingSettingsForm(request.POST or None, initial={
        "currency": club.currency, **{f: getattr(settings, f) for f in SETTINGS_FIELDS}})
    if request.method == "POST" and form.is_valid():
        if _saved(form, billing_settings_update, actor=request.membership, **form.service_kwargs()):
            messages.success(request, "Saved the billing settings: they apply to what is billed from now on.")
            return redirect("accounting_terms", club.slug)
    return render(request, "accounting/terms/home.html", {
        "form": form, "aircraft_list": _aircraft_rows(club),
        "instructors": [(i, _instructor_form(i)) for i in _instructors(club)],
    }, status=400 if form.errors else 200)


@club_member("manage_accounts")
def terms_aircraft(request, pk: int):
    aircraft = get_object_or_404(Aircraft.objects.in_service(), pk=pk, organization=request.club)
    terms = AircraftTerms.objects.filter(aircraft=aircraft).first() or AircraftTerms(aircraft=aircraft)
    form = AircraftTermsForm(request.POST or None, initial={
        "basis": terms.basis, "wet": terms.wet, "taxi_allowance_minutes": terms.taxi_allowance_minutes,
        "minimum_hours": terms.minimum_hours, "member_rate": aircraft.hourly_rate,
        "student_rate": terms.student_rate, "non_member_rate": terms.non_member_rate})
    if request.method == "POST" and form.is_valid():
        if _saved(form, aircraft_terms_update, actor=request.membership, aircraft=aircraft, **form.cleaned_data):
            messages.success(request, f"Saved the terms of {aircraft.registration}: flights billed from now on use them.")
            return redirect("accounting_terms", request.club.slug)
    return render(request, "accounting/terms/edit.html", {
        "form": form, "title": f"Terms of {aircraft.registration}",
        "note": f"{aircraft.registration} {'carries' if aircraft.has_wiflight_recorder else 'has no'} Wi-Flight recorder.",
    }, status=400 if form.errors else 200)


@club_member("manage_accounts")
def terms_instructor(request, member_pk: int):
    instructor = get_object_or_404(Membership.objects.select_related("user"), pk=member_pk,
                                   organization=request.club, is_instructor=True)
    form = _instructor_form(instructor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _saved(form, instructor_rate_update, actor=request.membership, instructor=instructor, **form.cleaned_data):
            messages.success(request, f"Saved the rates of {instructor.user.display_name}.")
            return redirect("accounting_terms", request.club.slug)
    return render(request, "accounting/terms/edit.html", {
        "form": form, "title": f"Rates of {instructor.user.display_name}",
    }, status=400 if form.errors else 200)


def _account_form(member, account, data=None) -> AccountForm:
    return AccountForm(data, prefix=f"m{member.pk}", initial={
        "group": account.group if account else (MemberGroup.STUDENT if member.instructor_id else MemberGroup.MEMBER),
        "credit_limit": account.credit_limit if account else None})


@club_member("manage_accounts")
def terms_accounts(request):
    club = request.club
    members = list(Membership.objects.people().filter(organization=club, is_active=True).select_related("user")
                   .order_by("user__full_name", "user__username"))
    # Reading does not make accounts: a member without one shows the group it would start in.
    accounts = {a.membership_id: a for a in Account.objects.filter(organization=club)}
    settings = billing_settings_for(club)
    rows = []
    for m in members:
        form = _account_form(m, accounts.get(m.pk))
        group = form.initial["group"]
        group_limit = settings.group_credit_limit(group)
        rows.append({"member": m, "form": form, "group": MemberGroup(group).label,
                     "limit": (money_display(form.initial["credit_limit"], club.currency)
                               if form.initial["credit_limit"] is not None else None),
                     "group_limit": money_display(group_limit, club.currency) if group_limit is not None else None})
    return render(request, "accounting/terms/accounts.html", {"rows": rows})


@club_member("manage_accounts")
def terms_account(request, member_pk: int):
    member = get_object_or_404(Membership.objects.people().select_related("user"), pk=member_pk, organization=request.club)
    form = _account_form(member, Account.objects.filter(membership=member).first(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _saved(form, account_update, actor=request.membership, member=member, **form.cleaned_data):
            messages.success(request, f"Saved the account of {member.user.display_name}.")
            return redirect("accounting_terms_accounts", request.club.slug)
    return render(request, "accounting/terms/edit.html", {
        "form": form, "title": f"Account of {member.user.display_name}", "back": "accounting_terms_accounts",
    }, status=400 if form.errors else 200)
