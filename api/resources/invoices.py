"""/organizations/<slug>/invoices: invoices and credit notes, with their lines; issue a draft,
void an issued one, credit it (accounting.services.invoices). Reads ask accounting.policy: a
treasurer, an admin or a viewer reads every account's, a member their own (drafts included).

Money is a string with its currency, {"amount": "195.00", "currency": "CAD"}, as in the
change events (accounting.events.money)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounting import policy
from accounting.events import money
from accounting.models import Allocation, Invoice, InvoiceLine
from accounting.models.accounts import MONEY
from accounting.services.invoices import invoice_credit, invoice_issue, invoice_void
from api import envelopes
from api.base import ApiView
from api.fields import AwareDateTimeField, IdField, PlainCharField, StrictDateField, StrictSerializer
from api.filters import in_feed_order, parsed
from api.schema import envelope_of, list_of
from core.errors import NotFound

KIND = "invoice"


def amount_field(**kwargs) -> serializers.DecimalField:
    """An amount in a request body: a string ("195.50") or a number, to at most three places
    (what the ledger keeps); never parsed through a float."""
    return serializers.DecimalField(max_digits=MONEY["max_digits"], decimal_places=MONEY["decimal_places"],
                                    help_text='A decimal string, e.g. "195.50" (at most three decimal places).',
                                    **kwargs)


class Money(serializers.Serializer):
    amount = serializers.CharField(help_text='A decimal string to the currency\'s minor unit, e.g. "195.00".')
    currency = serializers.CharField(help_text="ISO 4217 code, the organization's currency.")


class InvoiceLineAttributes(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=InvoiceLine.Kind.choices)
    description = serializers.CharField()
    quantity = serializers.CharField(help_text="A decimal string (hours for flight lines).")
    unit_price = Money()
    amount = Money()
    booking_id = serializers.CharField(allow_null=True, help_text="The flown booking this line bills.")
    part = serializers.CharField(allow_blank=True)
    expense_id = serializers.CharField(allow_null=True)


class InvoiceAttributes(serializers.Serializer):
    number = serializers.CharField(allow_blank=True, help_text="Given when issued; empty on a draft.")
    kind = serializers.ChoiceField(choices=Invoice.Kind.choices)
    status = serializers.ChoiceField(choices=Invoice.Status.choices)
    member_id = serializers.CharField()
    member = serializers.CharField(help_text="The member's name.")
    total = Money(help_text="Signed: negative on a credit note.")
    open = Money(help_text="What payments and credits do not settle yet.")
    credits_invoice_id = serializers.CharField(allow_null=True, help_text="A credit note: the invoice it corrects.")
    notes = serializers.CharField(allow_blank=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    voided_at = serializers.DateTimeField(allow_null=True)
    void_reason = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class InvoiceDetailAttributes(InvoiceAttributes):
    lines = InvoiceLineAttributes(many=True)


class InvoiceFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=Invoice.Status.choices, required=False)
    kind = serializers.ChoiceField(choices=Invoice.Kind.choices, required=False)
    member = IdField(required=False)
    start = StrictDateField(required=False, help_text="Issued on or after this day (the club's calendar).")
    end = StrictDateField(required=False, help_text="Issued on or before this day.")
    changed_since = AwareDateTimeField(required=False, help_text="Only invoices changed at or after this time.")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=envelopes.MAX_PAGE_SIZE)


# Blank reasons pass here so that the service refuses them with its own code (reason_required).
class VoidSerializer(StrictSerializer):
    reason = PlainCharField(max_length=200, allow_blank=True)


class CreditSerializer(StrictSerializer):
    reason = PlainCharField(max_length=300, allow_blank=True)
    amount = amount_field(required=False, allow_null=True, default=None)


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def attributes(invoice: Invoice) -> dict:
    currency = invoice.currency
    return {
        "number": invoice.number, "kind": invoice.kind, "status": invoice.status,
        "member_id": str(invoice.account.membership_id), "member": invoice.account.membership.user.display_name,
        "total": money(invoice.total, currency), "open": money(_open(invoice), currency),
        "credits_invoice_id": str(invoice.credits_id) if invoice.credits_id else None, "notes": invoice.notes,
        "issued_at": _when(invoice.issued_at), "due_on": _when(invoice.due_on), "paid_at": _when(invoice.paid_at),
        "voided_at": _when(invoice.voided_at), "void_reason": invoice.void_reason,
        "created_at": invoice.created_at.isoformat(), "updated_at": invoice.updated_at.isoformat(),
    }


def _open(invoice: Invoice) -> Decimal:
    # Only an issued invoice is owed; a draft, a void one and a credit note have nothing open.
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status != Invoice.Status.ISSUED:
        return Decimal(0)
    return invoice.total - invoice.allocated


def line_attributes(line: InvoiceLine, currency: str) -> dict:
    return {"position": line.position, "kind": line.kind, "description": line.description,
            "quantity": str(line.quantity), "unit_price": money(line.unit_price, currency),
            "amount": money(line.amount, currency),
            "booking_id": str(line.charge.booking_id) if line.charge_id else None, "part": line.part,
            "expense_id": str(line.expense_id) if line.expense_id else None}


def detail_attributes(invoice: Invoice) -> dict:
    return {**attributes(invoice), "lines": [line_attributes(line, invoice.currency) for line in invoice.lines.all()]}


def _listing(actor):
    allocated = (Allocation.objects.filter(invoice=OuterRef("pk")).order_by().values("invoice")
                 .annotate(s=Sum("amount")).values("s"))
    zero = Value(Decimal(0), output_field=DecimalField(**MONEY))
    return (policy.visible_invoices(actor).select_related("account__membership__user")
            .annotate(allocated=Coalesce(Subquery(allocated, output_field=DecimalField(**MONEY)), zero)))


def invoice_for(actor, pk: int) -> Invoice:
    invoice = (_listing(actor).prefetch_related(Prefetch("lines", InvoiceLine.objects.select_related("charge")))
               .filter(pk=pk).first())
    if invoice is None:
        raise NotFound("invoice_not_found", "No such invoice.")
    return invoice


def _day_start(day, tz) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), tz)


def _reloaded(actor, invoice: Invoice, status: int = 200) -> Response:
    return Response(envelopes.one(KIND, invoice.pk, detail_attributes(invoice_for(actor, invoice.pk))), status=status)


class InvoiceList(ApiView):
    @extend_schema(operation_id="invoices_list", parameters=[InvoiceFilters], responses=list_of(KIND, InvoiceAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        f = parsed(request, InvoiceFilters)
        qs = _listing(actor)
        for name in ("status", "kind"):
            if name in f:
                qs = qs.filter(**{name: f[name]})
        if "member" in f:
            qs = qs.filter(account__membership_id=f["member"])
        tz = actor.organization.tz
        if "start" in f:
            qs = qs.filter(issued_at__gte=_day_start(f["start"], tz))
        if "end" in f:
            qs = qs.filter(issued_at__lt=_day_start(f["end"], tz) + timedelta(days=1))
        # Drafts (not yet issued) first, then the newest issued, the same on every database.
        qs = in_feed_order(qs, f, F("issued_at").desc(nulls_first=True), "-pk")
        return Response(envelopes.page_of(request, qs, kind=KIND, attributes=attributes))


class InvoiceDetail(ApiView):
    @extend_schema(operation_id="invoices_retrieve", responses=envelope_of(KIND, InvoiceDetailAttributes, "InvoiceDetail"))
    def get(self, request, slug, pk):
        invoice = invoice_for(self.actor(slug), pk)
        return Response(envelopes.one(KIND, invoice.pk, detail_attributes(invoice)))


class InvoiceIssue(ApiView):
    @extend_schema(operation_id="invoices_issue", request=None,
                   responses=envelope_of(KIND, InvoiceDetailAttributes, "InvoiceDetail"),
                   description="Issues a draft: it gets the next number and a due date, and counts in the balance; "
                   "the member's prepaid money settles it as far as it goes. Treasurer and admins.")
    def post(self, request, slug, pk):
        actor = self.actor(slug)
        return _reloaded(actor, invoice_issue(actor=actor, invoice=invoice_for(actor, pk)))


class InvoiceVoid(ApiView):
    @extend_schema(operation_id="invoices_void", request=envelope_of(KIND, VoidSerializer, "InvoiceVoid"),
                   responses=envelope_of(KIND, InvoiceDetailAttributes, "InvoiceDetail"),
                   description="Voids an issued invoice or credit note that nothing settles yet; the flights it "
                   "billed are billed again on a draft. Treasurer and admins.")
    def post(self, request, slug, pk):
        actor = self.actor(slug)
        invoice = invoice_for(actor, pk)
        body = VoidSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        return _reloaded(actor, invoice_void(actor=actor, invoice=invoice, reason=body.validated_data["reason"]))


class InvoiceCredit(ApiView):
    @extend_schema(operation_id="invoices_credit", request=envelope_of(KIND, CreditSerializer, "InvoiceCredit"),
                   responses={201: envelope_of(KIND, InvoiceDetailAttributes, "InvoiceDetail")},
                   description="Credits an issued invoice in full (without `amount`) or by `amount`: answers the "
                   "credit note, issued at once. Treasurer and admins.")
    def post(self, request, slug, pk):
        actor = self.actor(slug)
        invoice = invoice_for(actor, pk)
        body = CreditSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        note = invoice_credit(actor=actor, invoice=invoice, reason=body.validated_data["reason"],
                              amount=body.validated_data["amount"])
        return _reloaded(actor, note, status=201)
