"""The treasurer's month as CSV files a spreadsheet or the club's bookkeeper takes as they are:
a header row, ISO dates, amounts as plain decimals with a "." (accounting.money.money_text),
plain UTF-8 (no byte-order mark, which some importers read as part of the first header).

Text a member typed (a name, a reference) could start like a formula; it goes through the
same guard as the bookings export (dispatch.booking_search.safe_cell). Numbers we write
ourselves are left as numbers: a credit note's "-12.50" must stay a negative amount."""

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from accounting.models import Invoice, InvoiceLine, Payment
from accounting.money import money_text
from dispatch.booking_search import safe_cell
from flights.models import LogbookEntry

INVOICE_HEADER = ["Number", "Kind", "Status", "Member", "Member id", "Issued on", "Due on", "Total", "Currency",
                  "Credits number"]
LINE_HEADER = ["Invoice number", "Position", "Kind", "Description", "Quantity", "Unit price", "Amount", "Booking id"]
PAYMENT_HEADER = ["Received on", "Member", "Method", "Reference", "Amount", "Currency", "Voided"]
FLIGHT_LOG_HEADER = ["Date", "Member", "Registration", "Block hours", "Air hours", "Billed"]


def _day(moment: datetime | None, tz) -> str:
    return timezone.localtime(moment, tz).date().isoformat() if moment else ""


def _hours(minutes: int | None) -> str:
    return "" if minutes is None else str((Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01")))


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def invoice_row(invoice: Invoice, tz) -> list[str]:
    member = invoice.account.membership
    return [safe_cell(invoice.number), invoice.get_kind_display(), invoice.get_status_display(),
            safe_cell(member.user.display_name), str(member.pk), _day(invoice.issued_at, tz),
            invoice.due_on.isoformat() if invoice.due_on else "", money_text(invoice.total, invoice.currency),
            invoice.currency, safe_cell(invoice.credits.number if invoice.credits_id else "")]


def line_row(line: InvoiceLine) -> list[str]:
    currency = line.invoice.currency
    return [safe_cell(line.invoice.number), str(line.position), line.get_kind_display(), safe_cell(line.description),
            str(line.quantity), money_text(line.unit_price, currency), money_text(line.amount, currency),
            str(line.charge.booking_id) if line.charge_id else ""]


def payment_row(payment: Payment, currency: str) -> list[str]:
    return [payment.received_on.isoformat(), safe_cell(payment.account.membership.user.display_name),
            payment.get_method_display(), safe_cell(payment.reference), money_text(payment.amount, currency),
            currency, _yes(payment.voided_at is not None)]


def flight_log_row(entry: LogbookEntry) -> list[str]:
    return [entry.date.isoformat(), safe_cell(entry.membership.user.display_name), safe_cell(entry.registration),
            _hours(entry.block_minutes), _hours(entry.air_minutes), _yes(entry.is_billed)]


class _Line:
    """csv.writer's file: hands back each line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def month_invoices(invoices, start: datetime, end: datetime):
    """The invoices and credit notes issued in [start, end) (void ones too: their numbers are
    part of the sequence the bookkeeper checks)."""
    return (invoices.filter(issued_at__gte=start, issued_at__lt=end).exclude(status=Invoice.Status.DRAFT)
            .select_related("account__membership__user", "credits").order_by("issued_at", "pk"))


def invoices_csv(invoices, tz) -> Iterator[str]:
    return csv_lines(INVOICE_HEADER, (invoice_row(i, tz) for i in invoices.iterator(chunk_size=1000)))


def lines_csv(invoices) -> Iterator[str]:
    lines = (InvoiceLine.objects.filter(invoice__in=invoices.values("pk")).select_related("invoice", "charge")
             .order_by("invoice__issued_at", "invoice__pk", "position"))
    return csv_lines(LINE_HEADER, (line_row(line) for line in lines.iterator(chunk_size=1000)))


def payments_csv(payments, currency: str) -> Iterator[str]:
    payments = payments.select_related("account__membership__user").order_by("received_on", "pk")
    return csv_lines(PAYMENT_HEADER, (payment_row(p, currency) for p in payments.iterator(chunk_size=1000)))


def flight_logs_csv(entries) -> Iterator[str]:
    entries = entries.select_related("membership__user").order_by("date", "pk")
    return csv_lines(FLIGHT_LOG_HEADER, (flight_log_row(e) for e in entries.iterator(chunk_size=1000)))
