"""Reading money: balances, credit limits, a member's statement and the treasurer's month.

A balance is what a member owes (negative: what they hold in credit): their issued invoices,
less their issued credit notes, less their payments. Drafts are pending, not owed."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from accounting.models import Account, Invoice, Payment
from accounting.money import ZERO, stored
from accounting.services.accounts import billing_settings_for
from clubs.models import Organization
from dispatch.models import Booking

COUNTED = (Invoice.Status.ISSUED, Invoice.Status.PAID)


@dataclass(frozen=True)
class Balance:
    invoiced: Decimal
    credited: Decimal
    paid: Decimal
    pending: Decimal  # drafts: charged, not yet owed
    limit: Decimal | None = None

    @property
    def owed(self) -> Decimal:
        return self.invoiced - self.credited - self.paid

    @property
    def exposure(self) -> Decimal:
        """What the limit is measured against: owed plus what is pending."""
        return self.owed + self.pending

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.exposure > self.limit

    @property
    def available(self) -> Decimal | None:
        return None if self.limit is None else self.limit - self.exposure


def _by_account(qs, value: str = "total") -> dict[int, Decimal]:
    return {row["account_id"]: stored(row["s"]) for row in qs.values("account_id").annotate(s=Sum(value)).order_by()}


def balances(organization: Organization, accounts=None) -> dict[int, Balance]:
    """Every account's balance (or those in `accounts`), in four grouped queries."""
    invoices = Invoice.objects.filter(organization=organization)
    payments = Payment.objects.filter(organization=organization, voided_at__isnull=True)
    scope = Account.objects.filter(organization=organization)
    if accounts is not None:
        ids = [a.pk for a in accounts]
        invoices, payments, scope = invoices.filter(account_id__in=ids), payments.filter(account_id__in=ids), scope.filter(pk__in=ids)
    invoiced = _by_account(invoices.filter(kind=Invoice.Kind.INVOICE, status__in=COUNTED))
    credited = _by_account(invoices.filter(kind=Invoice.Kind.CREDIT_NOTE, status__in=COUNTED))
    pending = _by_account(invoices.filter(status=Invoice.Status.DRAFT))
    paid = _by_account(payments, "amount")
    settings = billing_settings_for(organization)
    return {a.pk: Balance(invoiced=invoiced.get(a.pk, ZERO), credited=-credited.get(a.pk, ZERO),
                          paid=paid.get(a.pk, ZERO), pending=pending.get(a.pk, ZERO),
                          limit=a.credit_limit if a.credit_limit is not None else settings.group_credit_limit(a.group))
            for a in scope}


def account_balance(account: Account) -> Balance:
    if account.pk is None:  # no money yet (accounting.services.accounts.account_of)
        limit = account.credit_limit if account.credit_limit is not None else (
            billing_settings_for(account.organization).group_credit_limit(account.group))
        return Balance(invoiced=ZERO, credited=ZERO, paid=ZERO, pending=ZERO, limit=limit)
    return balances(account.organization, [account])[account.pk]


@dataclass(frozen=True)
class StatementRow:
    day: date
    kind: str  # invoice, credit_note, payment
    reference: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    url_pk: int | None = None


@dataclass
class Statement:
    account: Account
    start: date
    end: date
    opening: Decimal
    rows: list[StatementRow] = field(default_factory=list)
    closing: Decimal = ZERO
    pending: list = field(default_factory=list)  # draft invoices and credit notes


def _day(moment: datetime, tz) -> date:
    return timezone.localtime(moment, tz).date()


def statement(account: Account, start: date, end: date) -> Statement:
    """The member's account from `start` to `end` (club days): the balance brought forward,
    each invoice, credit note and payment with the running balance, and what is pending."""
    tz = account.organization.tz
    if account.pk is None:  # no money yet
        return Statement(account=account, start=start, end=end, opening=ZERO)
    entries = []
    for inv in (Invoice.objects.filter(account=account, status__in=COUNTED).select_related("credits")
                .order_by("issued_at", "pk")):
        entries.append((_day(inv.issued_at, tz), inv.issued_at, inv.kind, inv.number,
                        inv.get_kind_display() + (f" (credits {inv.credits.number})" if inv.credits_id else ""),
                        inv.total, inv.pk))
    for pay in Payment.objects.filter(account=account, voided_at__isnull=True).order_by("received_on", "pk"):
        entries.append((pay.received_on, pay.recorded_at, "payment", pay.reference or f"Payment #{pay.pk}",
                        f"Payment, {pay.get_method_display().lower()}", -pay.amount, None))
    entries.sort(key=lambda e: (e[0], e[1]))
    opening = sum((e[5] for e in entries if e[0] < start), ZERO)
    result = Statement(account=account, start=start, end=end, opening=opening)
    running = opening
    for day, _, kind, ref, text, signed, pk in entries:
        if not start <= day <= end:
            continue
        running += signed
        result.rows.append(StatementRow(day=day, kind=kind, reference=ref, description=text,
                                        debit=signed if signed > 0 else ZERO, credit=-signed if signed < 0 else ZERO,
                                        balance=running, url_pk=pk))
    result.closing = running
    result.pending = list(Invoice.objects.filter(account=account, status=Invoice.Status.DRAFT).prefetch_related("lines"))
    return result


def month_bounds(year: int, month: int, tz) -> tuple[datetime, datetime]:
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return (timezone.make_aware(datetime.combine(first, time.min), tz),
            timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz))


def unbilled_bookings(organization: Organization, start: datetime, end: datetime):
    """Flown bookings (checked in, or with a flight) that carry no charge yet."""
    flown = Q(status=Booking.Status.COMPLETED) | Q(flights__isnull=False)
    return (Booking.objects.filter(organization=organization, start__gte=start, start__lt=end).filter(flown)
            .exclude(status=Booking.Status.CANCELLED).filter(charge__isnull=True).distinct()
            .select_related("aircraft").prefetch_related("crew__membership__user"))
