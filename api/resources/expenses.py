"""/organizations/<slug>/expenses: money members spent for the club. A member submits their
own (it waits for the treasurer); the treasurer records anyone's (approved at once), and
approves or rejects what was submitted (accounting.services.expenses). An approved expense
is credited on the member's draft invoice."""

from django.db.models import F
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounting import policy
from accounting.events import money
from accounting.models import Expense
from accounting.services.expenses import expense_decide, expense_submit
from api import envelopes
from api.base import ApiView
from api.fields import AwareDateTimeField, IdField, PlainCharField, StrictDateField, StrictSerializer
from api.filters import in_feed_order, parsed
from api.lookups import member_with_id
from api.resources.invoices import Money, amount_field
from api.schema import envelope_of, list_of
from core.errors import NotFound

KIND = "expense"


class ExpenseCreateSerializer(StrictSerializer):
    member = IdField(required=False, help_text="Whose expense (treasurer and admins); the caller's own when left out.")
    spent_on = StrictDateField()
    description = PlainCharField(max_length=200, allow_blank=True)
    amount = amount_field()
    receipt_reference = PlainCharField(max_length=80, required=False, allow_blank=True, default="")


class DecisionSerializer(StrictSerializer):
    note = PlainCharField(max_length=200, required=False, allow_blank=True, default="")


class ExpenseAttributes(serializers.Serializer):
    member_id = serializers.CharField()
    member = serializers.CharField(help_text="The member's name.")
    spent_on = serializers.DateField()
    description = serializers.CharField()
    amount = Money()
    receipt_reference = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=Expense.Status.choices)
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField(allow_blank=True)
    invoice_id = serializers.CharField(allow_null=True, help_text="Once approved: the invoice it is credited on.")
    updated_at = serializers.DateTimeField(help_text="Submitted, or decided: its last change.")


class ExpenseFilters(serializers.Serializer):
    member = IdField(required=False)
    status = serializers.ChoiceField(choices=Expense.Status.choices, required=False)
    start = StrictDateField(required=False, help_text="Spent on or after this day.")
    end = StrictDateField(required=False, help_text="Spent on or before this day.")
    changed_since = AwareDateTimeField(required=False, help_text="Only expenses submitted or decided at or after this time.")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=envelopes.MAX_PAGE_SIZE)


def _line_invoice_id(expense: Expense) -> str | None:
    try:
        return str(expense.line.invoice_id)
    except Expense.line.RelatedObjectDoesNotExist:
        return None


def attributes(expense: Expense) -> dict:
    return {
        "member_id": str(expense.account.membership_id), "member": expense.account.membership.user.display_name,
        "spent_on": expense.spent_on.isoformat(), "description": expense.description,
        "amount": money(expense.amount, expense.organization.currency), "receipt_reference": expense.receipt_reference,
        "status": expense.status, "submitted_at": expense.submitted_at.isoformat(),
        "decided_at": expense.decided_at.isoformat() if expense.decided_at else None,
        "decision_note": expense.decision_note, "invoice_id": _line_invoice_id(expense),
        "updated_at": expense.updated_at.isoformat(),
    }


def _listing(actor):
    # An expense changes once, when decided: its last change is the change feed's `updated_at`.
    return (policy.visible_expenses(actor).select_related("account__membership__user", "organization", "line")
            .annotate(updated_at=Coalesce(F("decided_at"), F("submitted_at"))))


def _expense_for(actor, pk: int) -> Expense:
    expense = _listing(actor).filter(pk=pk).first()
    if expense is None:
        raise NotFound("expense_not_found", "No such expense.")
    return expense


def _reloaded(actor, expense: Expense, status: int = 200) -> Response:
    return Response(envelopes.one(KIND, expense.pk, attributes(_expense_for(actor, expense.pk))), status=status)


class ExpenseList(ApiView):
    @extend_schema(operation_id="expenses_list", parameters=[ExpenseFilters], responses=list_of(KIND, ExpenseAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        f = parsed(request, ExpenseFilters)
        qs = _listing(actor)
        if "member" in f:
            qs = qs.filter(account__membership_id=f["member"])
        if "status" in f:
            qs = qs.filter(status=f["status"])
        if "start" in f:
            qs = qs.filter(spent_on__gte=f["start"])
        if "end" in f:
            qs = qs.filter(spent_on__lte=f["end"])
        qs = in_feed_order(qs, f, "-spent_on", "-pk")
        return Response(envelopes.page_of(request, qs, kind=KIND, attributes=attributes))

    @extend_schema(operation_id="expenses_create", request=envelope_of(KIND, ExpenseCreateSerializer, "ExpenseCreate"),
                   responses={201: envelope_of(KIND, ExpenseAttributes)},
                   description="A member submits their own expense (it waits for the treasurer); the treasurer or "
                   "an admin records one for any member, approved at once.")
    def post(self, request, slug):
        actor = self.actor(slug)
        body = ExpenseCreateSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        d = body.validated_data
        member = member_with_id(actor, d["member"]) if "member" in d else actor
        expense = expense_submit(actor=actor, member=member, spent_on=d["spent_on"], description=d["description"],
                                 amount=d["amount"], receipt_reference=d["receipt_reference"])
        return _reloaded(actor, expense, status=201)


class ExpenseDetail(ApiView):
    @extend_schema(operation_id="expenses_retrieve", responses=envelope_of(KIND, ExpenseAttributes))
    def get(self, request, slug, pk):
        expense = _expense_for(self.actor(slug), pk)
        return Response(envelopes.one(KIND, expense.pk, attributes(expense)))


class _Decision(ApiView):
    approve = True

    def _decide(self, request, slug, pk):
        actor = self.actor(slug)
        expense = _expense_for(actor, pk)
        body = DecisionSerializer(data=envelopes.attributes_of(request, KIND) if request.body else {})
        body.is_valid(raise_exception=True)
        expense = expense_decide(actor=actor, expense=expense, approve=self.approve, note=body.validated_data["note"])
        return _reloaded(actor, expense)


class ExpenseApprove(_Decision):
    @extend_schema(operation_id="expenses_approve", request=envelope_of(KIND, DecisionSerializer, "ExpenseDecision"),
                   responses=envelope_of(KIND, ExpenseAttributes),
                   description="Approves a submitted expense: it is credited on the member's draft invoice.")
    def post(self, request, slug, pk):
        return self._decide(request, slug, pk)


class ExpenseReject(_Decision):
    approve = False

    @extend_schema(operation_id="expenses_reject", request=envelope_of(KIND, DecisionSerializer, "ExpenseDecision"),
                   responses=envelope_of(KIND, ExpenseAttributes))
    def post(self, request, slug, pk):
        return self._decide(request, slug, pk)
