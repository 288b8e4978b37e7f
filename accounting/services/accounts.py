"""Each member's account and the club's billing settings: made when first needed."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from accounting.models import Account, BillingSettings, MemberGroup
from accounting.money import money_step_for
from clubs.models import Membership, Organization
from core.entry_points import system_entry_point


@system_entry_point("read-or-make of a club's settings row, called by services that checked the actor")
def billing_settings_for(organization: Organization, *, lock: bool = False) -> BillingSettings:
    settings = _get_or_make(BillingSettings, lock, organization=organization)
    settings.organization = organization
    return settings


@system_entry_point("read-or-make of a member's account row, called by services that checked the actor")
def account_for(membership: Membership, *, lock: bool = False) -> Account:
    """The member's account (made on first use: a student, one with an instructor, starts in
    the student group). With `lock`, its row is locked for the rest of the transaction: the
    one lock every money change of a member takes."""
    group = MemberGroup.STUDENT if membership.instructor_id else MemberGroup.MEMBER
    account = _get_or_make(Account, lock, membership=membership,
                           defaults={"organization_id": membership.organization_id, "group": group})
    account.membership = membership
    return account


@system_entry_point("a read of a member's account for pages that checked the actor")
def account_of(membership: Membership) -> Account:
    """The member's account to read: the saved one, or, before any money, an unsaved one
    with the group it would start in (a page view never writes a row)."""
    found = Account.objects.filter(membership=membership).first()
    if found is None:
        found = Account(organization_id=membership.organization_id, membership=membership,
                        group=MemberGroup.STUDENT if membership.instructor_id else MemberGroup.MEMBER)
    found.membership = membership
    return found


def _get_or_make(model, lock: bool, defaults: dict | None = None, **key):
    qs = model.objects.select_for_update() if lock else model.objects
    found = qs.filter(**key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            model.objects.create(**key, **(defaults or {}))
    except IntegrityError:  # made by a concurrent first use
        pass
    return qs.get(**key)


@system_entry_point("a read of one club's settings for the money services")
def money_quantum(settings: BillingSettings) -> Decimal:
    return money_step_for(settings.organization.currency, settings.money_quantum)
