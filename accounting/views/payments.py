"""Payments: the list, recording one, voiding one recorded in error."""

from django.contrib import messages
from django.shortcuts import redirect, render

from accounting import policy
from accounting.models import Invoice
from accounting.money import ZERO
from accounting.services.payments import payment_record, payment_void
from accounting.treasurer_forms import PaymentFilterForm, PaymentForm, ReasonForm
from accounting.views.treasurer import MANAGE, READ, money, page_or_error, payment_for, query_without_page
from clubs.access import club_member
from core.errors import Refusal
from core.form_errors import add_service_error
from core.query_params import parse_id


@club_member(READ)
def payment_list(request):
    form = PaymentFilterForm(request.GET, organization=request.club)
    page = None
    if form.is_valid():
        payments = policy.visible_payments(request.membership).select_related("account__membership__user")
        if form.cleaned_data["member"]:
            payments = payments.filter(account__membership=form.cleaned_data["member"])
        page = page_or_error(form, payments.order_by("-received_on", "-pk"))
    rows = [(p, money(p.amount, request.club.currency)) for p in page.object_list] if page else []
    return render(request, "accounting/treasurer/payment_list.html", {
        "form": form, "page": page, "rows": rows, "query": query_without_page(request)},
        status=200 if page is not None else 400)


def _initial(request) -> dict:
    """?invoice= (from an invoice's page) picks the invoice and its member; ?member= the member."""
    invoice = Invoice.objects.filter(organization=request.club, kind=Invoice.Kind.INVOICE, status=Invoice.Status.ISSUED,
                                     pk=parse_id(request.GET.get("invoice")) or 0).first()
    if invoice is not None:
        return {"invoice": invoice.pk, "member": invoice.account.membership_id,
                "amount": invoice.total - sum((a.amount for a in invoice.allocations.all()), ZERO)}
    member = parse_id(request.GET.get("member"))
    return {"member": member} if member else {}


@club_member(MANAGE)
def payment_new(request):
    posted = request.method == "POST"
    form = PaymentForm(request.POST if posted else None, organization=request.club,
                       initial=None if posted else _initial(request))
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            payment = payment_record(actor=request.membership, **data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Recorded {money(payment.amount, request.club.currency)} from "
                             f"{data['member'].user.display_name}.")
            return redirect("accounting_payments", request.club.slug)
    return render(request, "accounting/treasurer/payment_new.html", {"form": form}, status=400 if posted else 200)


@club_member(MANAGE)
def payment_void_view(request, pk: int):
    payment = payment_for(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment_void(actor=request.membership, payment=payment, reason=form.cleaned_data["reason"])
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Voided the payment of {money(payment.amount, request.club.currency)}.")
            return redirect("accounting_payments", request.club.slug)
    settles = [(a, money(a.amount, request.club.currency))
               for a in payment.allocations.select_related("invoice").order_by("pk")]
    return render(request, "accounting/treasurer/payment_void.html", {
        "payment": payment, "member": payment.account.membership, "form": form, "settles": settles,
        "amount": money(payment.amount, request.club.currency)}, status=400 if request.method == "POST" else 200)
