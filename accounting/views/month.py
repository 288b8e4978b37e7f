"""The treasurer's month: what is left to bill, the drafts to issue, every balance, what came
in and went out; issuing every draft at once; and the month as CSV files."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounting import exports, policy, selectors
from accounting.models import Account, Invoice
from accounting.services.invoices import invoices_issue_all
from accounting.treasurer_forms import month_from_query, parse_month
from accounting.views.treasurer import MANAGE, READ, money
from clubs.access import club_member
from flights.policy import visible_entries, visible_flights


def _balance_rows(request):
    club = request.club
    found = selectors.balances(club)
    accounts = Account.objects.filter(organization=club).select_related("membership__user")
    rows = []
    for account in accounts:
        balance = found[account.pk]
        rows.append({"account": account, "member": account.membership, "balance": balance,
                     "owed": money(balance.owed, club.currency), "pending": money(balance.pending, club.currency),
                     "limit": money(balance.limit, club.currency) if balance.limit is not None else "No limit",
                     "available": money(balance.available, club.currency),
                     "over_by": money(-balance.available, club.currency) if balance.over_limit else ""})
    return rows


@club_member(READ)
def month_view(request):
    club, actor = request.club, request.membership
    month, notice = month_from_query(request.GET.get("month"), club)
    start, end = selectors.month_bounds(month.year, month.month, club.tz)
    invoices = policy.visible_invoices(actor)
    drafts = (invoices.filter(status=Invoice.Status.DRAFT).select_related("account__membership__user")
              .annotate(line_count=Count("lines")).order_by("account__membership__user__full_name", "kind", "pk"))
    issued = exports.month_invoices(invoices, start, end)
    payments = (policy.visible_payments(actor).filter(received_on__gte=start.date(), received_on__lt=end.date())
                .select_related("account__membership__user").order_by("received_on", "pk"))
    return render(request, "accounting/treasurer/month.html", {
        "month": month, "notice": notice,
        "unbilled": selectors.unbilled_bookings(club, start, end).order_by("start"),
        "flights": visible_flights(actor).filter(booking__isnull=True, start__gte=start, start__lt=end)
        .select_related("aircraft").order_by("start"),
        "drafts": [(d, money(d.total, d.currency)) for d in drafts],
        "balances": _balance_rows(request),
        "payments": [(p, money(p.amount, club.currency)) for p in payments],
        "issued": [(i, money(i.total, i.currency)) for i in issued],
    })


@require_POST
@club_member(MANAGE)
def issue_all(request):
    month = parse_month(request.POST.get("month", ""))
    waiting = Invoice.objects.filter(organization=request.club, status=Invoice.Status.DRAFT).count()
    # Draft credit notes (corrections of issued invoices) first: issued, they settle the
    # invoices issued after them, and a draft invoice that credits more than it charges can
    # only become a credit note once the member has no other draft one.
    issued = invoices_issue_all(actor=request.membership, kind=Invoice.Kind.CREDIT_NOTE)
    issued += invoices_issue_all(actor=request.membership, kind=Invoice.Kind.INVOICE)
    if issued:
        messages.success(request, f"Issued {len(issued)} draft{'s' if len(issued) != 1 else ''}: "
                         + ", ".join(i.number for i in issued) + ".")
    left = waiting - len(issued)
    if left > 0:
        messages.warning(request, f"{left} draft{'s were' if left != 1 else ' was'} not issued (empty, or refused): "
                         "open each to issue it and see why.")
    elif not issued:
        messages.info(request, "There were no drafts to issue.")
    url = reverse("accounting_month", args=[request.club.slug])
    return redirect(f"{url}?month={month}" if month else url)


def _csv_response(request, kind: str, lines):
    month = request.month
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{kind}-{request.club.slug}-{month}.csv")
    return response


def _month_export(view):
    """An export answers for the month asked; an unreadable month is a 400 saying so (a file
    of another month than the one asked would be worse than none)."""
    def wrapper(request):
        value = request.GET.get("month")
        month, notice = month_from_query(value, request.club)
        if notice:
            return HttpResponse(notice, status=400, content_type="text/plain; charset=utf-8")
        request.month = month
        start, end = selectors.month_bounds(month.year, month.month, request.club.tz)
        return view(request, start, end)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return club_member(READ)(wrapper)


@_month_export
def invoices_csv(request, start, end):
    invoices = exports.month_invoices(policy.visible_invoices(request.membership), start, end)
    return _csv_response(request, "invoices", exports.invoices_csv(invoices, request.club.tz))


@_month_export
def invoice_lines_csv(request, start, end):
    invoices = exports.month_invoices(policy.visible_invoices(request.membership), start, end)
    return _csv_response(request, "invoice-lines", exports.lines_csv(invoices))


@_month_export
def payments_csv(request, start, end):
    payments = policy.visible_payments(request.membership).filter(received_on__gte=start.date(),
                                                                  received_on__lt=end.date())
    return _csv_response(request, "payments", exports.payments_csv(payments, request.club.currency))


@_month_export
def flight_logs_csv(request, start, end):
    entries = visible_entries(request.membership).filter(date__gte=start.date(), date__lt=end.date())
    return _csv_response(request, "flight-logs", exports.flight_logs_csv(entries))
