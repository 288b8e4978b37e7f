"""What accounting adds to dispatch's pages, through dispatch.extensions (registered in
AccountingConfig.ready(); dispatch never imports accounting)."""

from accounting.models import InvoiceLine
from accounting.money import money_display
from accounting.policy import may_see_all_accounts


def booking_page(*, request, booking) -> dict:
    """The lines billed for this booking: to those who read every account, and to the member
    who pays them (their own lines only)."""
    member = request.membership
    lines = (InvoiceLine.objects.filter(charge__booking=booking).exclude(invoice__status="void")
             .select_related("invoice__account__membership__user").order_by("invoice_id", "position"))
    if not may_see_all_accounts(member):
        lines = lines.filter(invoice__account__membership=member)
    rows = [{"line": line, "invoice": line.invoice, "amount": money_display(line.amount, line.invoice.currency),
             "member": line.invoice.account.membership.user.display_name} for line in lines]
    return {"billing": rows} if rows else {}


def register() -> None:
    from dispatch import extensions

    extensions.register("booking_page", booking_page)
