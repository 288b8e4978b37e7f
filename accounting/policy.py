"""Who may see and move money. One rule each; views, the API and the services ask here, and
the services enforce it themselves.

A treasurer or an admin runs every account; a viewer (a board member) reads them all; every
member reads their own account, and submits their own expenses. Another club's account, or
another member's for a pilot, is "not found"."""

from django.db.models import QuerySet

from accounting.models import Account, Expense, Invoice, Payment
from clubs.models import Membership
from clubs.policy import can, require_active, require_capability
from core.errors import NotFound


def may_manage_accounts(actor: Membership) -> bool:
    return can(actor, "manage_accounts")


def may_see_all_accounts(actor: Membership) -> bool:
    return can(actor, "see_all_accounts")


def require_treasurer(actor: Membership, verb: str = "do this") -> None:
    require_capability(actor, "manage_accounts", f"Only the treasurer and club admins {verb}.")


def visible_accounts(actor: Membership) -> QuerySet[Account]:
    qs = Account.objects.filter(organization_id=actor.organization_id)
    if not actor.is_active:
        return qs.none()
    return qs if may_see_all_accounts(actor) else qs.filter(membership=actor)


def _visible(model, actor: Membership) -> QuerySet:
    qs = model.objects.filter(organization_id=actor.organization_id)
    if not actor.is_active:
        return qs.none()
    return qs if may_see_all_accounts(actor) else qs.filter(account__membership=actor)


def visible_invoices(actor: Membership) -> QuerySet[Invoice]:
    """A member sees their issued invoices, credit notes and their pending draft; drafts of
    others only to those who read every account."""
    return _visible(Invoice, actor)


def visible_payments(actor: Membership) -> QuerySet[Payment]:
    return _visible(Payment, actor)


def visible_expenses(actor: Membership) -> QuerySet[Expense]:
    return _visible(Expense, actor)


def require_account_visible(actor: Membership, account: Account) -> None:
    require_active(actor)
    if account.organization_id != actor.organization_id or not (
            may_see_all_accounts(actor) or account.membership_id == actor.pk):
        raise NotFound("account_not_found", "No such account.")


def require_in_club(actor: Membership, obj, what: str, code: str) -> None:
    require_active(actor)
    if getattr(obj, "organization_id", None) != actor.organization_id:
        raise NotFound(code, f"No such {what}.")


def require_account_holder(actor: Membership, member: Membership) -> None:
    """A person of the actor's club: the account an API key acts as holds no money."""
    require_in_club(actor, member, "member", "member_not_found")
    if member.user.is_service_account:
        raise NotFound("member_not_found", "No such member.")
