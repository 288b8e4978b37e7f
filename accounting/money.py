"""Rounding and showing money and billed time: written once, half-up, in Decimal.

A club rounds billed hours to its hours step and amounts to its money step (BillingSettings);
neither is ever a float. Amounts are kept to three places (the currencies with the most minor
units) and shown to the currency's own."""

from decimal import ROUND_HALF_UP, Decimal

from core.currencies import minor_units

ZERO = Decimal("0")


def round_to(value: Decimal, step: Decimal) -> Decimal:
    """`value` to the nearest multiple of `step`, halves away from zero (2.25 -> 2.3 at 0.1,
    -2.25 -> -2.3): a credit rounds as its charge did."""
    if not isinstance(value, Decimal) or not isinstance(step, Decimal):
        raise TypeError("money and hours are Decimal, never float")
    if step <= 0:
        raise ValueError("a rounding step is positive")
    units = (value / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return (units * step).quantize(step) if step.as_tuple().exponent < 0 else units * step


def money_step_for(currency: str, step: Decimal) -> Decimal:
    """The club's money step, never finer than the currency's minor unit (no cents of yen)."""
    smallest = Decimal(1).scaleb(-minor_units(currency))
    return max(step, smallest)


def as_currency(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def money_text(amount: Decimal, currency: str) -> str:
    """The plain form APIs and CSV files carry: "1234.50" (no currency, no grouping)."""
    return str(as_currency(amount, currency))


def money_display(amount: Decimal, currency: str) -> str:
    """For pages: "CAD 1,234.50", a credit as "−CAD 12.00"."""
    value = as_currency(amount, currency)
    sign = "−" if value < 0 else ""
    places = minor_units(currency)
    return f"{sign}{currency} {abs(value):,.{places}f}"


def hours_from_seconds(seconds: int) -> Decimal:
    return Decimal(seconds) / Decimal(3600)


STORED = Decimal("0.001")  # the places every amount is kept to (accounting.models.accounts.MONEY)


def stored(total) -> Decimal:
    """A database SUM of amounts, exact. SQLite adds decimals as floats (a sum of 0 can come
    back as -3.5E-15); every amount has three places, so their sum is exact at three."""
    return ZERO if total is None else Decimal(total).quantize(STORED, rounding=ROUND_HALF_UP)
