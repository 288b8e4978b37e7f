"""What the treasurer's pages share: finding a record of the club or answering 404, money
shown the one way (accounting.money.money_display), and a page of a list.

The pages themselves: views/month.py (the month and its CSV files), views/invoices.py,
views/payments.py. Reading needs "see_all_accounts" (a viewer, a board member, reads too);
every action needs "manage_accounts", and the service checks it again."""

from decimal import Decimal

from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import get_object_or_404

from accounting import policy
from accounting.models import Invoice, Payment
from accounting.money import money_display

PAGE_SIZE = 50
READ = "see_all_accounts"
MANAGE = "manage_accounts"


def money(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else money_display(amount, currency)


def invoice_for(request, pk: int) -> Invoice:
    invoices = policy.visible_invoices(request.membership).select_related(
        "account__membership__user", "credits", "issued_by")
    return get_object_or_404(invoices, pk=pk)


def payment_for(request, pk: int) -> Payment:
    payments = policy.visible_payments(request.membership).select_related("account__membership__user", "recorded_by")
    return get_object_or_404(payments, pk=pk)


def page_or_error(form, queryset):
    """The page of `queryset` the filter form asks for, or None with the error on the form."""
    try:
        return Paginator(queryset, PAGE_SIZE).page(form.cleaned_data.get("page") or 1)
    except EmptyPage:
        form.add_error("page", "There is no such page: the list is shorter.")
        return None


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
