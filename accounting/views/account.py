"""A member's money pages: their account, statement (page and PDF), invoices and expenses;
the treasurer's queue of expenses to decide. Those who read every account open any member's
pages under member/<pk>/; anyone else asking for another member gets 404."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounting import policy
from accounting.account_forms import ExpenseDecisionForm, ExpenseForm, StatementPeriodForm
from accounting.models import Expense, Invoice
from accounting.money import ZERO, money_display
from accounting.selectors import account_balance, statement
from accounting.services.accounts import account_of
from accounting.services.expenses import expense_decide, expense_submit
from accounting.statement_pdf import statement_pdf
from clubs.access import club_member
from clubs.models import Membership
from core.errors import Refusal
from core.form_errors import add_service_error


def _member(request, member_pk: int | None) -> Membership:
    """The member whose pages these are: the actor, or one the actor may read (else 404)."""
    actor = request.membership
    if member_pk is None or member_pk == actor.pk:
        return actor
    if not policy.may_see_all_accounts(actor):
        raise Http404("No such account.")
    return get_object_or_404(Membership.objects.people().select_related("user"), pk=member_pk, organization=request.club)


def _own(request, member: Membership) -> bool:
    return member.pk == request.membership.pk


def balance_words(balance, currency: str, own: bool, name: str) -> dict:
    """The balance, limit and availability as sentences (a page says "in credit", not "−12")."""
    who, owes, holds = ("You", "owe", "are") if own else (name, "owes", "is")
    owed = balance.owed
    if owed > 0:
        summary = f"{who} {owes} the club {money_display(owed, currency)}."
    elif owed < 0:
        summary = f"{who} {holds} in credit by {money_display(-owed, currency)}."
    else:
        summary = f"{who} {owes} nothing: the account is settled."
    words = {"summary": summary, "pending": money_display(balance.pending, currency), "limit": None,
             "available": None, "over_limit": None}
    if balance.limit is not None:
        words["limit"] = money_display(balance.limit, currency)
        words["available"] = money_display(max(balance.available, ZERO), currency)
        if balance.over_limit:
            words["over_limit"] = (f"Over the credit limit by {money_display(-balance.available, currency)}: "
                                   "what is owed and pending is more than the limit.")
    return words


def _with_money(items, currency_of, field: str):
    for item in items:
        item.money = money_display(getattr(item, field), currency_of(item))
    return items


def _account_page(request, member: Membership):
    actor, currency = request.membership, request.club.currency
    account = account_of(member)
    balance = account_balance(account)
    invoices = policy.visible_invoices(actor).filter(account__membership=member)
    drafts = list(invoices.filter(status=Invoice.Status.DRAFT).prefetch_related("lines"))
    for draft in drafts:
        _with_money(draft.lines.all(), lambda line, d=draft: d.currency, "amount")
    return render(request, "accounting/account/home.html", {
        "member": member, "own": _own(request, member), "account": account,
        "words": balance_words(balance, currency, _own(request, member), member.user.display_name),
        "drafts": drafts,
        "invoices": _with_money(list(invoices.exclude(status=Invoice.Status.DRAFT)), lambda i: i.currency, "total"),
        "payments": _with_money(list(policy.visible_payments(actor).filter(account__membership=member)[:50]),
                                lambda p: currency, "amount"),
        "expenses": _with_money(list(policy.visible_expenses(actor).filter(account__membership=member)[:50]),
                                lambda e: currency, "amount"),
        "may_manage": policy.may_manage_accounts(actor),
    })


@club_member()
def account_home(request):
    return _account_page(request, request.membership)


@club_member("see_all_accounts")
def account_member(request, member_pk: int):
    return _account_page(request, _member(request, member_pk))


def _statement_or_form(request, member: Membership):
    today = timezone.localdate(timezone=request.club.tz)
    # Always bound: no dates at all is a valid request for the default period.
    form = StatementPeriodForm(request.GET, today=today)
    if not form.is_valid():
        return None, form
    return statement(account_of(member), form.cleaned_data["start"], form.cleaned_data["end"]), form


def _statement_page(request, member: Membership):
    found, form = _statement_or_form(request, member)
    currency = request.club.currency
    rows = []
    if found is not None:
        rows = [{"row": r, "debit": money_display(r.debit, currency) if r.debit else "",
                 "credit": money_display(r.credit, currency) if r.credit else "",
                 "balance": money_display(r.balance, currency)} for r in found.rows]
        for draft in found.pending:
            _with_money(draft.lines.all(), lambda line, d=draft: d.currency, "amount")
    return render(request, "accounting/account/statement.html", {
        "member": member, "own": _own(request, member), "form": form, "statement": found, "rows": rows,
        "opening": found and money_display(found.opening, currency),
        "closing": found and money_display(found.closing, currency),
        "query": request.GET.urlencode(),
    }, status=200 if found is not None else 400)


def _statement_download(request, member: Membership):
    found, _ = _statement_or_form(request, member)
    if found is None:
        return _statement_page(request, member)
    content = statement_pdf(found, club_name=request.club.name, member_name=member.user.display_name,
                            currency=request.club.currency)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"statement-{request.club.slug}-{member.pk}-{found.start:%Y%m%d}-{found.end:%Y%m%d}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@club_member()
def account_statement(request):
    return _statement_page(request, request.membership)


@club_member("see_all_accounts")
def account_member_statement(request, member_pk: int):
    return _statement_page(request, _member(request, member_pk))


@club_member()
def account_statement_pdf(request):
    return _statement_download(request, request.membership)


@club_member("see_all_accounts")
def account_member_statement_pdf(request, member_pk: int):
    return _statement_download(request, _member(request, member_pk))


@club_member()
def account_invoice(request, pk: int):
    qs = policy.visible_invoices(request.membership).select_related("account__membership__user", "credits")
    invoice = get_object_or_404(qs, pk=pk)
    lines = _with_money(list(invoice.lines.all()), lambda line: invoice.currency, "amount")
    for line in lines:
        line.unit_money = money_display(line.unit_price, invoice.currency)
    allocations = _with_money(list(invoice.allocations.select_related("payment", "credit_note")),
                              lambda a: invoice.currency, "amount")
    member = invoice.account.membership
    return render(request, "accounting/account/invoice.html", {
        "invoice": invoice, "lines": lines, "allocations": allocations, "member": member,
        "own": _own(request, member), "total": money_display(invoice.total, invoice.currency),
    })


def _expense_form(request, member: Membership):
    form = ExpenseForm(request.POST or None,
                       initial={"spent_on": timezone.localdate(timezone=request.club.tz)})
    if request.method == "POST" and form.is_valid():
        try:
            expense = expense_submit(actor=request.membership, member=member, **form.cleaned_data)
        except Refusal as exc:
            add_service_error(form, exc)
        else:
            if expense.status == Expense.Status.APPROVED:
                messages.success(request, f"Recorded the expense of {member.user.display_name}: it is credited "
                                 "on their next invoice.")
                return redirect("account_member", request.club.slug, member.pk)
            messages.success(request, "Submitted your expense: the treasurer will approve it, and it is then "
                             "credited on your next invoice.")
            return redirect("account_home", request.club.slug)
    return render(request, "accounting/account/expense_form.html", {
        "form": form, "member": member, "own": _own(request, member)}, status=400 if form.errors else 200)


@club_member()
def account_expense_new(request):
    return _expense_form(request, request.membership)


@club_member("manage_accounts")
def account_member_expense_new(request, member_pk: int):
    return _expense_form(request, _member(request, member_pk))


def _review_page(request, error: str | None = None, status: int = 200):
    waiting = (policy.visible_expenses(request.membership).filter(status=Expense.Status.SUBMITTED)
               .select_related("account__membership__user").order_by("submitted_at", "pk"))
    return render(request, "accounting/account/expense_review.html", {
        "expenses": _with_money(list(waiting), lambda e: request.club.currency, "amount"), "error": error,
    }, status=status)


@club_member("manage_accounts")
def account_expense_review(request):
    return _review_page(request)


@require_POST
@club_member("manage_accounts")
def account_expense_decide(request, pk: int):
    expense = get_object_or_404(policy.visible_expenses(request.membership).select_related("account__membership__user"),
                                pk=pk)
    form = ExpenseDecisionForm(request.POST)
    if not form.is_valid():
        return _review_page(request, "Choose to approve or reject the expense.", status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        expense_decide(actor=request.membership, expense=expense, approve=approve, note=form.cleaned_data["note"])
    except Refusal as exc:
        return _review_page(request, " ".join(exc.messages), status=400)
    messages.success(request, f"{'Approved' if approve else 'Rejected'} the expense of "
                     f"{expense.account.membership.user.display_name}: {expense.description}.")
    return redirect("account_expense_review", request.club.slug)
