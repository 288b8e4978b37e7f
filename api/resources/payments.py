"""/organizations/<slug>/payments: money members paid, recorded by the treasurer (or an
admin), voided when recorded in error (accounting.services.payments). A member reads their
own; a treasurer, an admin or a viewer every member's."""

from django.db.models import F
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounting import policy
from accounting.events import money
from accounting.models import Invoice, Payment
from accounting.services.payments import payment_record, payment_void
from api import envelopes
from api.base import ApiView
from api.fields import AwareDateTimeField, IdField, PlainCharField, StrictDateField, StrictSerializer
from api.filters import in_feed_order, parsed
from api.lookups import member_with_id
from api.resources.invoices import Money, VoidSerializer, amount_field
from api.schema import envelope_of, list_of
from core.errors import NotFound

KIND = "payment"


class PaymentCreateSerializer(StrictSerializer):
    member = IdField(help_text="Who paid (a member id).")
    amount = amount_field()
    method = serializers.ChoiceField(choices=Payment.Method.choices)
    received_on = StrictDateField(help_text="The day it was received (today or earlier, the club's calendar).")
    reference = PlainCharField(max_length=80, required=False, allow_blank=True, default="",
                               help_text="Cheque number, transfer reference, ...")
    note = PlainCharField(max_length=200, required=False, allow_blank=True, default="")
    invoice = IdField(required=False, allow_null=True, default=None,
                      help_text="The member's invoice it pays first; then the oldest open ones.")


class AllocationAttributes(serializers.Serializer):
    invoice_id = serializers.CharField()
    number = serializers.CharField()
    amount = Money()


class PaymentAttributes(serializers.Serializer):
    member_id = serializers.CharField()
    member = serializers.CharField(help_text="The member's name.")
    amount = Money()
    method = serializers.ChoiceField(choices=Payment.Method.choices)
    reference = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    received_on = serializers.DateField()
    recorded_at = serializers.DateTimeField()
    voided = serializers.BooleanField()
    voided_at = serializers.DateTimeField(allow_null=True)
    void_reason = serializers.CharField(allow_blank=True)
    allocations = AllocationAttributes(many=True, help_text="The invoices it settles, and how much of each.")
    updated_at = serializers.DateTimeField(help_text="Recorded, or voided: its last change.")


class PaymentFilters(serializers.Serializer):
    member = IdField(required=False)
    start = StrictDateField(required=False, help_text="Received on or after this day.")
    end = StrictDateField(required=False, help_text="Received on or before this day.")
    # A choice, not a BooleanField: from a query string DRF reads a missing boolean as false.
    voided = serializers.ChoiceField(choices=["true", "false"], required=False,
                                     help_text="true: only voided payments; false: only those that count.")
    changed_since = AwareDateTimeField(required=False, help_text="Only payments recorded or voided at or after this time.")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=envelopes.MAX_PAGE_SIZE)


def attributes(payment: Payment) -> dict:
    currency = payment.organization.currency
    return {
        "member_id": str(payment.account.membership_id), "member": payment.account.membership.user.display_name,
        "amount": money(payment.amount, currency), "method": payment.method, "reference": payment.reference,
        "note": payment.note, "received_on": payment.received_on.isoformat(),
        "recorded_at": payment.recorded_at.isoformat(), "voided": payment.voided_at is not None,
        "voided_at": payment.voided_at.isoformat() if payment.voided_at else None, "void_reason": payment.void_reason,
        "allocations": [{"invoice_id": str(a.invoice_id), "number": a.invoice.number,
                         "amount": money(a.amount, currency)} for a in payment.allocations.all()],
        "updated_at": payment.updated_at.isoformat(),
    }


def _listing(actor):
    # A payment changes once, when voided: its last change is the change feed's `updated_at`.
    return (policy.visible_payments(actor).select_related("account__membership__user", "organization")
            .prefetch_related("allocations__invoice").annotate(updated_at=Coalesce(F("voided_at"), F("recorded_at"))))


def _payment_for(actor, pk: int) -> Payment:
    payment = _listing(actor).filter(pk=pk).first()
    if payment is None:
        raise NotFound("payment_not_found", "No such payment.")
    return payment


def _invoice_of_club(actor, pk: int | None) -> Invoice | None:
    if pk is None:
        return None
    invoice = Invoice.objects.filter(organization_id=actor.organization_id, pk=pk).select_related("account").first()
    if invoice is None:
        raise NotFound("invoice_not_found", "No such invoice of this member.", field="invoice")
    return invoice


def _reloaded(actor, payment: Payment, status: int = 200) -> Response:
    return Response(envelopes.one(KIND, payment.pk, attributes(_payment_for(actor, payment.pk))), status=status)


class PaymentList(ApiView):
    @extend_schema(operation_id="payments_list", parameters=[PaymentFilters], responses=list_of(KIND, PaymentAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        f = parsed(request, PaymentFilters)
        qs = _listing(actor)
        if "member" in f:
            qs = qs.filter(account__membership_id=f["member"])
        if "start" in f:
            qs = qs.filter(received_on__gte=f["start"])
        if "end" in f:
            qs = qs.filter(received_on__lte=f["end"])
        if "voided" in f:
            qs = qs.filter(voided_at__isnull=f["voided"] == "false")
        qs = in_feed_order(qs, f, "-received_on", "-pk")
        return Response(envelopes.page_of(request, qs, kind=KIND, attributes=attributes))

    @extend_schema(operation_id="payments_create", request=envelope_of(KIND, PaymentCreateSerializer, "PaymentCreate"),
                   responses={201: envelope_of(KIND, PaymentAttributes)},
                   description="Records a payment (treasurer and admins): it settles `invoice` first, then the "
                   "member's oldest open invoices; what is left is prepaid and settles the next ones.")
    def post(self, request, slug):
        actor = self.actor(slug)
        body = PaymentCreateSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        d = body.validated_data
        payment = payment_record(actor=actor, member=member_with_id(actor, d["member"]), amount=d["amount"],
                                 method=d["method"], received_on=d["received_on"], reference=d["reference"],
                                 note=d["note"], invoice=_invoice_of_club(actor, d["invoice"]))
        return _reloaded(actor, payment, status=201)


class PaymentDetail(ApiView):
    @extend_schema(operation_id="payments_retrieve", responses=envelope_of(KIND, PaymentAttributes))
    def get(self, request, slug, pk):
        payment = _payment_for(self.actor(slug), pk)
        return Response(envelopes.one(KIND, payment.pk, attributes(payment)))


class PaymentVoid(ApiView):
    @extend_schema(operation_id="payments_void", request=envelope_of(KIND, VoidSerializer, "PaymentVoid"),
                   responses=envelope_of(KIND, PaymentAttributes),
                   description="A payment recorded in error: the invoices it settled are open again. "
                   "Treasurer and admins.")
    def post(self, request, slug, pk):
        actor = self.actor(slug)
        payment = _payment_for(actor, pk)
        body = VoidSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        return _reloaded(actor, payment_void(actor=actor, payment=payment, reason=body.validated_data["reason"]))
