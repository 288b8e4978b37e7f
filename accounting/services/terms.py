"""What things cost and how the club bills: its billing settings and currency, an aircraft's
terms, an instructor's rates, a member's group and credit limit. New terms price flights
billed from then on; a flight already billed keeps the terms it was billed at, even when a
correction re-prices it."""

from decimal import Decimal

from django.db import transaction

from accounting import policy
from accounting.models import AircraftTerms, BillingBasis, Expense, InstructorRate, Invoice, MemberGroup, Payment
from accounting.models.accounts import HoursStep, MoneyStep
from accounting.services.accounts import account_for, billing_settings_for
from clubs.changes import change_record
from clubs.models import Membership
from core.currencies import is_currency, minor_units
from core.errors import Conflict, Invalid
from core.text import require_plain_line
from dispatch.models import Aircraft

MAX_RATE = Decimal("100000")


def _money(value, field: str, *, optional: bool = False) -> Decimal | None:
    if value is None and optional:
        return None
    if value is None or not Decimal(0) <= value < MAX_RATE:
        raise Invalid("rate_out_of_range", "Give an amount from 0 up to 100000.", field=field)
    return value


def _changes(obj, values: dict) -> dict:
    changed = {}
    for name, value in values.items():
        before = getattr(obj, name)
        if before != value:
            changed[name] = {"from": None if before is None else str(before), "to": None if value is None else str(value)}
            setattr(obj, name, value)
    return changed


def billing_settings_update(*, actor: Membership, currency: str, hours_step: str, money_step: str,
                            payment_terms_days: int, invoice_prefix: str, credit_note_prefix: str,
                            credit_limits: dict[str, Decimal | None]):
    policy.require_treasurer(actor, "change the billing settings")
    if not is_currency(currency):
        raise Invalid("currency_unknown", "Give an ISO 4217 currency code, for example EUR, CAD or USD.", field="currency")
    if hours_step not in HoursStep.values:
        raise Invalid("hours_step_unknown", "Round hours to tenths, twentieths or hundredths.", field="hours_step")
    if money_step not in MoneyStep.values:
        raise Invalid("money_step_unknown", "Round money to 0.01, 0.05, 0.10 or 1.", field="money_step")
    if Decimal(money_step) < Decimal(1).scaleb(-minor_units(currency)):
        raise Invalid("money_step_too_fine", f"{currency} has no amounts finer than "
                      f"{Decimal(1).scaleb(-minor_units(currency))}.", field="money_step")
    if payment_terms_days is None or not 0 <= payment_terms_days <= 365:
        raise Invalid("payment_terms_out_of_range", "Give payment terms from 0 to 365 days.", field="payment_terms_days")
    for field, prefix in (("invoice_prefix", invoice_prefix), ("credit_note_prefix", credit_note_prefix)):
        require_plain_line(prefix, field=field, label="A number prefix")
        if len(prefix.strip()) > 12:
            raise Invalid("prefix_too_long", "Keep a number prefix to 12 characters.", field=field)
    if invoice_prefix.strip() == credit_note_prefix.strip():
        raise Invalid("prefixes_same", "Invoices and credit notes are numbered apart: give them different prefixes.",
                      field="credit_note_prefix")
    limits = {f"credit_limit_{group}": _money(credit_limits.get(group), f"credit_limit_{group}", optional=True)
              for group in MemberGroup.values}
    organization = actor.organization
    with transaction.atomic():
        settings = billing_settings_for(organization, lock=True)
        if currency != organization.currency and any(model.objects.filter(organization=organization).exists()
                                                     for model in (Invoice, Payment, Expense)):
            raise Conflict("currency_in_use", f"This club already bills in {organization.currency}: its currency "
                           "cannot change once an invoice, a payment or an expense exists.", field="currency")
        changed = _changes(settings, {"hours_step": hours_step, "money_step": money_step,
                                      "payment_terms_days": payment_terms_days, "invoice_prefix": invoice_prefix.strip(),
                                      "credit_note_prefix": credit_note_prefix.strip(), **limits})
        if currency != organization.currency:
            changed["currency"] = {"from": organization.currency, "to": currency}
            organization.currency = currency
            organization.save(update_fields=["currency"])
        settings.save()
        if changed:
            change_record(event="billing.changed", organization=organization, actor=actor, target=settings,
                          audit_action="billing.settings_changed",
                          summary=f"Changed the billing settings: {', '.join(changed)}", details=changed)
    return settings


def aircraft_terms_update(*, actor: Membership, aircraft: Aircraft, basis: str, wet: bool, taxi_allowance_minutes: int,
                          minimum_hours: Decimal, member_rate: Decimal, student_rate: Decimal | None,
                          non_member_rate: Decimal | None) -> AircraftTerms:
    policy.require_in_club(actor, aircraft, "aircraft", "unknown_aircraft")
    policy.require_treasurer(actor, "set aircraft rates")
    if basis not in BillingBasis.values:
        raise Invalid("billing_basis_unknown", "Bill on Hobbs, tach, Wi-Flight engine time or airtime.", field="basis")
    if BillingBasis.from_recorder(basis) and not aircraft.has_wiflight_recorder:
        raise Invalid("billing_basis_needs_recorder", f"{aircraft.registration} has no Wi-Flight recorder to bill "
                      "its time from.", field="basis")
    if taxi_allowance_minutes is None or not 0 <= taxi_allowance_minutes <= 120:
        raise Invalid("taxi_allowance_out_of_range", "Give a taxi allowance from 0 to 120 minutes.",
                      field="taxi_allowance_minutes")
    if minimum_hours is None or not Decimal(0) <= minimum_hours <= Decimal(24):
        raise Invalid("minimum_hours_out_of_range", "Give a minimum from 0 to 24 hours.", field="minimum_hours")
    values = {"basis": basis, "wet": bool(wet), "taxi_allowance_minutes": taxi_allowance_minutes,
              "minimum_hours": minimum_hours, "student_rate": _money(student_rate, "student_rate", optional=True),
              "non_member_rate": _money(non_member_rate, "non_member_rate", optional=True)}
    member_rate = _money(member_rate, "member_rate")
    with transaction.atomic():
        aircraft = Aircraft.objects.select_for_update().get(pk=aircraft.pk)
        terms = AircraftTerms.objects.filter(aircraft=aircraft).first() or AircraftTerms(aircraft=aircraft)
        changed = _changes(terms, values)
        changed.update(_changes(aircraft, {"hourly_rate": member_rate}))
        terms.save()
        aircraft.save(update_fields=["hourly_rate"])
        if changed:
            change_record(event="billing.changed", organization=actor.organization, actor=actor, target=aircraft,
                          audit_action="billing.aircraft_terms_changed",
                          summary=f"Changed the rates of {aircraft.registration}: {', '.join(changed)}", details=changed)
    return terms


def instructor_rate_update(*, actor: Membership, instructor: Membership, flight_rate: Decimal,
                           ground_rate: Decimal) -> InstructorRate:
    policy.require_in_club(actor, instructor, "member", "member_not_found")
    policy.require_treasurer(actor, "set instructor rates")
    if not instructor.is_instructor:
        raise Invalid("not_an_instructor", f"{instructor.user.display_name} is not an instructor.", field="instructor")
    values = {"flight_rate": _money(flight_rate, "flight_rate"), "ground_rate": _money(ground_rate, "ground_rate")}
    with transaction.atomic():
        rate = InstructorRate.objects.select_for_update().filter(instructor=instructor).first() or InstructorRate(
            instructor=instructor)
        changed = _changes(rate, values)
        rate.save()
        if changed:
            change_record(event="billing.changed", organization=actor.organization, actor=actor, target=instructor,
                          audit_action="billing.instructor_rates_changed",
                          summary=f"Changed the rates of {instructor.user.display_name}: {', '.join(changed)}",
                          details=changed)
    return rate


def account_update(*, actor: Membership, member: Membership, group: str, credit_limit: Decimal | None):
    policy.require_account_holder(actor, member)
    policy.require_treasurer(actor, "change members' accounts")
    if group not in MemberGroup.values:
        raise Invalid("member_group_unknown", "Choose member, student or non-member.", field="group")
    if credit_limit is not None and not Decimal(0) <= credit_limit < Decimal("10000000"):
        raise Invalid("credit_limit_out_of_range", "Give a credit limit of 0 or more, or none.", field="credit_limit")
    with transaction.atomic():
        account = account_for(member, lock=True)
        changed = _changes(account, {"group": group, "credit_limit": credit_limit})
        account.save()
        if changed:
            change_record(event="account.changed", organization=actor.organization, actor=actor, target=account,
                          summary=f"Changed the account of {member.user.display_name}: {', '.join(changed)}",
                          details=changed)
    return account
