"""The treasurer's invoices: the list, one invoice with what settles it, and its actions
(issue, void, credit, add and remove a hand-written draft line). Each action is a POST that
calls one service; a refusal is shown on the form that asked, with status 400."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounting import policy
from accounting.models import Invoice, InvoiceLine
from accounting.money import ZERO
from accounting.services.invoices import (invoice_credit, invoice_issue, invoice_line_add, invoice_line_remove,
                                          invoice_void)
from accounting.treasurer_forms import CreditForm, InvoiceFilterForm, InvoiceLineForm, InvoiceLineNewForm, ReasonForm
from accounting.views.treasurer import MANAGE, READ, invoice_for, money, page_or_error, query_without_page
from clubs.access import club_member
from core.errors import Refusal
from core.form_errors import add_service_error


@club_member(READ)
def invoice_list(request):
    form = InvoiceFilterForm(request.GET, organization=request.club)
    page = None
    if form.is_valid():
        invoices = policy.visible_invoices(request.membership).select_related("account__membership__user")
        for name in ("status", "kind"):
            if form.cleaned_data[name]:
                invoices = invoices.filter(**{name: form.cleaned_data[name]})
        if form.cleaned_data["member"]:
            invoices = invoices.filter(account__membership=form.cleaned_data["member"])
        page = page_or_error(form, invoices.annotate(line_count=Count("lines")).order_by("-issued_at", "-pk"))
    rows = [(i, money(i.total, i.currency)) for i in page.object_list] if page else []
    return render(request, "accounting/treasurer/invoice_list.html", {
        "form": form, "page": page, "rows": rows, "query": query_without_page(request)},
        status=200 if page is not None else 400)


def _settled_by(invoice):
    return [(a, money(a.amount, invoice.currency))
            for a in invoice.allocations.select_related("payment", "credit_note").order_by("pk")]


def detail_page(request, invoice, *, status: int = 200, action_form=None, line_form=None):
    """The invoice with its lines and what settles it; the action forms as given (with their
    errors) or fresh."""
    currency = invoice.currency
    lines = [(line, money(line.unit_price, currency), money(line.amount, currency))
             for line in invoice.lines.select_related("charge").order_by("position")]
    settled = None if invoice.is_credit_note else sum((a.amount for a in invoice.allocations.all()), ZERO)
    gives = [(a, money(a.amount, currency)) for a in invoice.allocations_given.select_related("invoice").order_by("pk")]
    may_manage = policy.may_manage_accounts(request.membership)
    return render(request, "accounting/treasurer/invoice_detail.html", {
        "invoice": invoice, "member": invoice.account.membership, "lines": lines,
        "total": money(invoice.total, currency),
        "settled_by": _settled_by(invoice), "gives": gives,
        "open_amount": money(invoice.total - settled, currency) if settled is not None and invoice.counts else "",
        "credit_notes": [(n, money(n.total, currency)) for n in invoice.credit_notes.order_by("pk")],
        "may_manage": may_manage,
        "action_form": action_form or forms.Form(),
        "line_form": line_form or (InvoiceLineForm() if may_manage and invoice.is_draft
                                   and not invoice.is_credit_note else None),
    }, status=status)


@club_member(READ)
def invoice_detail(request, pk: int):
    return detail_page(request, invoice_for(request, pk))


@require_POST
@club_member(MANAGE)
def invoice_issue_view(request, pk: int):
    invoice = invoice_for(request, pk)
    form = forms.Form(request.POST)
    try:
        invoice = invoice_issue(actor=request.membership, invoice=invoice)
    except Refusal as exc:
        add_service_error(form, exc)
        return detail_page(request, invoice, status=400, action_form=form)
    messages.success(request, f"Issued {invoice.number}.")
    return redirect("accounting_invoice", request.club.slug, invoice.pk)


def _confirm(request, invoice, form_class, service, template: str, done: str, **kwargs):
    """The void and credit pages: a form with the reason, a confirm button, the service."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = service(actor=request.membership, invoice=invoice, **form.cleaned_data, **kwargs)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, done.format(invoice=invoice, result=result))
            return redirect("accounting_invoice", request.club.slug, result.pk)
    return render(request, template, {"invoice": invoice, "member": invoice.account.membership, "form": form,
                                      "total": money(invoice.total, invoice.currency)},
                  status=400 if request.method == "POST" else 200)


@club_member(MANAGE)
def invoice_void_view(request, pk: int):
    return _confirm(request, invoice_for(request, pk), ReasonForm, invoice_void,
                    "accounting/treasurer/invoice_void.html", "Voided {invoice.number}.")


@club_member(MANAGE)
def invoice_credit_view(request, pk: int):
    return _confirm(request, invoice_for(request, pk), CreditForm, invoice_credit,
                    "accounting/treasurer/invoice_credit.html",
                    "Issued credit note {result.number} on {invoice.number}.")


@require_POST
@club_member(MANAGE)
def invoice_line_add_view(request, pk: int):
    """A line on this draft: the service puts it on the member's open draft invoice."""
    invoice = invoice_for(request, pk)
    if not invoice.is_draft or invoice.is_credit_note:
        raise Http404("No such page.")
    form = InvoiceLineForm(request.POST)
    if form.is_valid():
        try:
            line = invoice_line_add(actor=request.membership, member=invoice.account.membership, **form.cleaned_data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added \u201c{line.description}\u201d.")
            return redirect("accounting_invoice", request.club.slug, line.invoice_id)
    return detail_page(request, invoice, status=400, line_form=form)


@club_member(MANAGE)
def invoice_line_new(request):
    """A line on any member's draft (made if they have none): a fee, a goodwill credit."""
    initial = {"member": request.GET.get("member")} if request.method == "GET" else None
    form = InvoiceLineNewForm(request.POST or None, organization=request.club, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            line = invoice_line_add(actor=request.membership, **data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added \u201c{line.description}\u201d to the draft of "
                             f"{data['member'].user.display_name}.")
            return redirect("accounting_invoice", request.club.slug, line.invoice_id)
    return render(request, "accounting/treasurer/line_new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@require_POST
@club_member(MANAGE)
def invoice_line_remove_view(request, pk: int, line_pk: int):
    invoice = invoice_for(request, pk)
    line = get_object_or_404(InvoiceLine.objects.select_related("invoice"), pk=line_pk, invoice=invoice)
    form = forms.Form(request.POST)
    try:
        invoice_line_remove(actor=request.membership, line=line)
    except Refusal as exc:
        add_service_error(form, exc)
        return detail_page(request, invoice, status=400, action_form=form)
    messages.success(request, f"Removed \u201c{line.description}\u201d.")
    if not Invoice.objects.filter(pk=invoice.pk).exists():
        messages.info(request, "The draft had no other lines: it is gone.")
        return redirect("accounting_invoices", request.club.slug)
    return redirect("accounting_invoice", request.club.slug, invoice.pk)
