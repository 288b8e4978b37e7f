"""/organizations/<slug>/members/<id>/balance: what a member owes (negative: holds in credit),
how it adds up, and their credit limit (accounting.selectors.account_balance). A member reads
their own; a treasurer, an admin or a viewer anyone's; another member's is "not found"."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounting import policy
from accounting.events import money
from accounting.models import Account
from accounting.selectors import account_balance
from accounting.services.accounts import account_of
from api import envelopes
from api.base import ApiView
from api.lookups import member_with_id
from api.resources.invoices import Money
from api.schema import envelope_of

KIND = "balance"


class BalanceAttributes(serializers.Serializer):
    member_id = serializers.CharField()
    owed = Money(help_text="Issued invoices less credit notes and payments; negative: credit held.")
    invoiced = Money()
    credited = Money()
    paid = Money()
    pending = Money(help_text="On drafts: charged, not yet owed.")
    credit_limit = Money(allow_null=True, help_text="null: no limit.")
    available = Money(allow_null=True, help_text="The limit less what is owed and pending; null without a limit.")
    over_limit = serializers.BooleanField()


class MemberBalance(ApiView):
    @extend_schema(operation_id="members_balance", responses=envelope_of(KIND, BalanceAttributes))
    def get(self, request, slug, pk):
        actor = self.actor(slug)
        member = member_with_id(actor, pk)
        # The policy's rule before the account is made (on first use): a refused caller
        # leaves no account behind.
        policy.require_account_visible(actor, Account(organization_id=member.organization_id, membership=member))
        balance = account_balance(account_of(member))
        currency = actor.organization.currency

        def maybe(amount):
            return None if amount is None else money(amount, currency)

        return Response(envelopes.one(KIND, member.pk, {
            "member_id": str(member.pk), "owed": money(balance.owed, currency),
            "invoiced": money(balance.invoiced, currency), "credited": money(balance.credited, currency),
            "paid": money(balance.paid, currency), "pending": money(balance.pending, currency),
            "credit_limit": maybe(balance.limit), "available": maybe(balance.available),
            "over_limit": balance.over_limit}))
